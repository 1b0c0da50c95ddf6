using CallControl.Dialing;
using Microsoft.Extensions.Options;

namespace CallControl.Tests.Dialing;

public sealed class DialStringBuilderTests
{
    private static readonly Guid Leg = Guid.Parse("b1bc2ee0-5f06-49c6-b85a-e6ae812b42fd");
    private static readonly Guid Call = Guid.Parse("0d9f5a52-7d7e-4c43-9a51-2b1a3f7c9e10");

    private static readonly DialStringBuilder Builder = new(Options.Create(new DialingOptions
    {
        Gateway = "carrier", ExtraGateways = ["carrier_busy"],
    }));

    /// <summary>Every injection the issue lists, and a few more: each must be rejected wherever it appears.</summary>
    public static TheoryData<string> Hostile => new()
    {
        "a,b", "a|b", "a{b", "a}b", "a[b", "a]b", "a^b", "a&b", "a:b", "a@b", "a/b",
        "sofia/gateway/evil/+19005551234",
        "x}sofia/gateway/evil/+1900",
        "{origination_uuid=evil}",
        "a\nb", "a\rb", "a\r\nbgapi originate", "a%0Ab", "a%0D%0Ab",
        "a b", "a'b", "a\"b", "a<b", "a>b", "a=b", "a;b", "a\\b", "a\tb", "a\0b",
        "+１５５５", "+١٥٥٥", "é", "",
        "^^:a:b", "&park()", "${system(rm -rf /)}",
    };

    [Fact]
    public void Build_makes_the_variables_block_and_the_gateway_endpoint()
    {
        Assert.True(E164Number.TryParse("+15550001111", out var number));

        var dial = Builder.Build(new CarrierLeg
        {
            OriginationUuid = Leg, CallId = Call, RoomId = "a1b2c3d4e5f60718", Number = number,
            Variables = [new("origination_caller_id_number", "+15551230001"), new("x_role", "pstn")],
        });

        Assert.Equal(
            "{origination_uuid=b1bc2ee0-5f06-49c6-b85a-e6ae812b42fd,x_call_id=0d9f5a52-7d7e-4c43-9a51-2b1a3f7c9e10," +
            "x_room_id=a1b2c3d4e5f60718,origination_caller_id_number=+15551230001,x_role=pstn}" +
            "sofia/gateway/carrier/+15550001111",
            dial);
    }

    [Fact]
    public void Build_with_an_extra_configured_gateway_uses_it()
    {
        Assert.True(E164Number.TryParse("+15550001111", out var number));

        var dial = Builder.Build(new CarrierLeg { OriginationUuid = Leg, CallId = Call, RoomId = "r1", Number = number, Gateway = "carrier_busy" });

        Assert.EndsWith("}sofia/gateway/carrier_busy/+15550001111", dial, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Build_rejects_a_hostile_room_id(string roomId)
    {
        var ex = Assert.Throws<DialStringException>(() => Builder.Build(Valid() with { RoomId = roomId }));

        Assert.Equal("roomId", ex.Field);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Build_rejects_a_hostile_variable_value(string value)
    {
        var ex = Assert.Throws<DialStringException>(() =>
            Builder.Build(Valid() with { Variables = [new("origination_caller_id_name", value)] }));

        Assert.Equal("origination_caller_id_name", ex.Field);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    [InlineData("Upper")]
    [InlineData("1starts_with_digit")]
    public void Build_rejects_a_hostile_variable_name(string name)
    {
        var ex = Assert.Throws<DialStringException>(() => Builder.Build(Valid() with { Variables = [new(name, "x")] }));

        Assert.Equal("variables", ex.Field);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    [InlineData("not_configured")]
    public void Build_rejects_a_gateway_that_is_not_configured(string gateway)
    {
        var ex = Assert.Throws<DialStringException>(() => Builder.Build(Valid() with { Gateway = gateway }));

        Assert.Equal("gateway", ex.Field);
    }

    [Fact]
    public void Build_rejects_a_missing_number()
    {
        var ex = Assert.Throws<DialStringException>(() => Builder.Build(Valid() with { Number = null! }));

        Assert.Equal("number", ex.Field);
    }

    private static CarrierLeg Valid()
    {
        Assert.True(E164Number.TryParse("+15550001111", out var number));
        return new CarrierLeg { OriginationUuid = Leg, CallId = Call, RoomId = "a1b2c3", Number = number };
    }
}
