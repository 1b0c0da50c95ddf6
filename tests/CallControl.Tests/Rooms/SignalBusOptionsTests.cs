using CallControl.Rooms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Tests.Rooms;

/// <summary>The <c>Signaling</c> settings are checked when the service starts, not when a peer is first judged dead.</summary>
public sealed class SignalBusOptionsTests
{
    private static SignalBusOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddRooms(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<SignalBusOptions>>().Value;
    }

    [Fact]
    public void The_defaults_are_valid_and_small_settings_bind()
    {
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6)), (Bind([]).HeartbeatInterval, Bind([]).PeerTimeout));
        var small = Bind(new() { ["Signaling:HeartbeatInterval"] = "00:00:00.250", ["Signaling:PeerTimeout"] = "00:00:00.500" });
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)), (small.HeartbeatInterval, small.PeerTimeout));
    }

    [Theory]
    [InlineData("Signaling:HeartbeatInterval", "00:00:00")]
    [InlineData("Signaling:PeerTimeout", "00:00:03")] // less than twice the 2 s heartbeat
    [InlineData("Signaling:ReconnectCap", "-00:00:01")]
    [InlineData("Signaling:StateQueryTimeout", "00:00:00")]
    public void A_setting_out_of_range_fails_validation(string key, string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));
        Assert.Contains("Signaling", ex.Message, StringComparison.Ordinal);
    }
}
