using System.Xml.Linq;
using CallControl.Auth;
using CallControl.Data;
using CallControl.Dialing;
using CallControl.Rooms;
using FreeSwitchConf.Tests.Support;
using Microsoft.Extensions.Options;

namespace FreeSwitchConf.Tests;

public sealed class DialplanTests
{
    private static readonly XDocument Document = ConfTree.Document();
    private static readonly XmlDialplan Dialplan = new(Document);

    /// <summary>Destinations no verto leg may reach: other numbers, path tricks, dial strings, separators.</summary>
    public static TheoryData<string> Foreign(string roomId) => new()
    {
        "1000", "9196", "+15551230001", "room-", "room-../x", "room-abc;x", "room-" + roomId + ";x", "room-" + roomId + "x",
        "room-" + roomId[..15], "room-" + roomId + "0", "room-" + roomId.ToUpperInvariant().Replace('0', 'A'),
        " room-" + roomId, "ROOM-" + roomId, "room_" + roomId, "room-" + roomId + "@default", "sofia/gateway/carrier/+15551230001",
        "conf-" + roomId, "sock-" + roomId, "socksingle-" + roomId, "room-" + roomId[..8] + "-" + roomId[8..15], "room-g" + roomId[1..],
        "${system(id)}", "room-${x}",
    };

    public static TheoryData<string> ForeignDestinations() => Foreign("0123456789abcdef");

    [Fact]
    public void Verto_logins_route_to_the_public_context_as_the_service_directory_says()
    {
        var profiles = Document.Configuration("verto.conf").Element("profiles")!.Elements("profile").ToArray();

        Assert.Equal("public", DirectoryResponder.UserContext);
        Assert.NotEmpty(profiles);
        Assert.All(profiles, p => Assert.Equal(DirectoryResponder.UserContext, p.Param("context")));
    }

    [Fact]
    public void Every_room_id_the_service_makes_parks_with_its_room_id()
    {
        for (var i = 0; i < 2000; i++)
        {
            var id = RoomStore.NewId();
            Assert.True(RoomRequestValidation.IsRoomId(id));

            var hit = Dialplan.Route(DirectoryResponder.UserContext, "room-" + id);

            Assert.NotNull(hit);
            Assert.Equal("room", hit.Extension);
            Assert.Contains(new DialplanAction("set", "room_id=" + id), hit.Actions);
            Assert.Equal(new DialplanAction("park", null), hit.Actions[^1]);
            Assert.All(hit.Actions, a => Assert.Contains(a.Application, new[] { "set", "park" }));
        }
    }

    [Theory]
    [MemberData(nameof(ForeignDestinations))]
    public void Anything_else_from_a_verto_leg_is_refused(string destination)
    {
        Assert.False(RoomRequestValidation.IsRoomId(destination.StartsWith("room-", StringComparison.Ordinal) ? destination[5..] : destination));

        var hit = Dialplan.Route(DirectoryResponder.UserContext, destination);

        Assert.NotNull(hit);
        Assert.Equal([new DialplanAction("hangup", "NO_ROUTE_DESTINATION")], hit.Actions);
    }

    [Fact]
    public void The_room_leg_records_into_the_recordings_folder()
    {
        var hit = Dialplan.Route("public", "room-" + RoomStore.NewId())!;

        Assert.Contains(new DialplanAction("set", "sound_prefix=/usr/local/freeswitch/recordings"), hit.Actions);
    }

    [Fact]
    public void The_carrier_context_bridges_exactly_the_endpoint_the_service_dials()
    {
        var builder = new DialStringBuilder(Options.Create(new DialingOptions()));
        foreach (var text in new[] { "+15550001111", "+442071838750", "+12345678", "+123456789012345", "+81312345678" })
        {
            Assert.True(E164Number.TryParse(text, out var number));

            var dial = builder.Build(new CarrierLeg
            {
                OriginationUuid = Guid.NewGuid(), CallId = Guid.NewGuid(), RoomId = RoomStore.NewId(), Number = number,
            });
            var endpoint = dial[(dial.IndexOf('}', StringComparison.Ordinal) + 1)..];

            var hit = Dialplan.Route("carrier", number.Value);

            Assert.NotNull(hit);
            Assert.Equal("e164", hit.Extension);
            Assert.Equal(new DialplanAction("bridge", endpoint), hit.Actions[^1]);
        }
    }

    [Theory]
    [InlineData("15550001111")]
    [InlineData("+05550001111")]
    [InlineData("+1234567")]
    [InlineData("+1234567890123456")]
    [InlineData("+1555 0001111")]
    [InlineData("+15550001111;x")]
    [InlineData("+15550001111@evil")]
    [InlineData("+１５５５０００１１１１")]
    [InlineData("sofia/gateway/carrier/+15550001111")]
    public void The_carrier_context_refuses_what_is_not_e164(string destination)
    {
        Assert.False(E164Number.TryParse(destination, out _));

        var hit = Dialplan.Route("carrier", destination);

        Assert.Equal([new DialplanAction("hangup", "NO_ROUTE_DESTINATION")], hit!.Actions);
    }

    [Fact]
    public void A_carrier_leg_originated_into_a_room_parks_there()
    {
        var id = RoomStore.NewId();

        var hit = Dialplan.Route("carrier", "room-" + id)!;

        Assert.Equal(new DialplanAction("set", "room_id=" + id), hit.Actions[0]);
        Assert.Equal(new DialplanAction("park", null), hit.Actions[^1]);
    }

    [Fact]
    public void The_gateway_is_the_one_the_service_dials_through()
    {
        var gateways = Document.Configuration("sofia.conf").Descendants("gateway").Select(g => (string)g.Attribute("name")!).ToArray();

        Assert.Equal([new DialingOptions().Gateway], gateways);
    }

    [Theory]
    [InlineData("room-0123456789abcdef")]
    [InlineData("+15550001111")]
    [InlineData("1000")]
    public void The_default_context_refuses_everything(string destination)
    {
        var hit = Dialplan.Route("default", destination)!;

        Assert.Equal("refuse", hit.Extension);
        Assert.DoesNotContain(hit.Actions, a => a.Application is "park" or "bridge");
    }

    [Fact]
    public void Calls_arriving_over_sip_land_in_the_default_context()
    {
        var sofia = Document.Configuration("sofia.conf");
        var profile = sofia.Element("profiles")!.Elements("profile").Single();

        Assert.Equal("default", profile.Element("settings")!.Param("context"));
        Assert.All(sofia.Descendants("gateway"), g => Assert.Equal("default", g.Param("context")));
    }

    [Fact]
    public void Only_the_three_contexts_exist()
    {
        var contexts = Document.Root!.Elements("section").Single(s => (string?)s.Attribute("name") == "dialplan")
            .Elements("context").Select(c => (string)c.Attribute("name")!).Order(StringComparer.Ordinal);

        Assert.Equal(["carrier", "default", "public"], contexts);
    }
}
