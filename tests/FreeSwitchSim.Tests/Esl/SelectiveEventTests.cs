using System.Text;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>
/// The switch builds only the events some listener may want (<see cref="ISelectiveEventSource"/>), through the real
/// switch and ESL layer (<see cref="SimulatorHost"/>, which no test handler listens to), and a listener cannot tell.
/// </summary>
public sealed class SelectiveEventTests
{
    private const string Subscribed = "CHANNEL_CREATE CHANNEL_PARK CHANNEL_HANGUP_COMPLETE";

    private static SimulatorHostOptions Quiet() => new()
    {
        // No heartbeat inside the test: the two runs compared below must fire the same events.
        ConfigureSwitch = o => o.HeartbeatInterval = TimeSpan.FromHours(1),
    };

    /// <summary>One verto call parked then hung up, seen by a listener subscribed to three events; with
    /// <paramref name="alsoAll"/>, a second listener subscribed to all of them is connected throughout.</summary>
    private static async Task<(List<SimEvent> Seen, EventCounts Counts)> CallAsync(bool alsoAll)
    {
        await using var host = await SimulatorHost.StartAsync(Quiet());
        await using var listener = await EslTestClient.ConnectAuthedAsync(host.EslPort);
        await listener.CommandAsync($"event plain {Subscribed}");
        await using var everything = alsoAll ? await EslTestClient.ConnectAuthedAsync(host.EslPort) : null;
        if (everything is not null)
        {
            await everything.CommandAsync("event plain all");
        }
        var selective = host.Switch;
        var before = selective.EventCounts;

        Assert.True(await host.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        var uuid = host.Switch.PlaceCall("1000", "room-s1");
        var seen = new List<SimEvent> { await NextAsync(listener), await NextAsync(listener) };
        host.Switch.Hangup(uuid);
        seen.Add(await NextAsync(listener));

        var after = selective.EventCounts;
        return (seen, new EventCounts(after.Fired - before.Fired, after.Built - before.Built));
    }

    private static async Task<SimEvent> NextAsync(EslTestClient client) =>
        Captures.DecodePlainEvent((await client.ReadUntilAsync(f => f.ContentType == "text/event-plain")).Body)!;

    private static long Sequence(SimEvent e) => long.Parse(e.Get("Event-Sequence")!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Only_subscribed_events_are_built_and_a_listener_sees_the_same_events_and_numbers_as_beside_one_that_takes_all()
    {
        var alone = await CallAsync(alsoAll: false);
        var beside = await CallAsync(alsoAll: true);

        // Alone, the switch built only what the listener subscribed to (the call fires many more: states, call
        // states, executes, verto's CUSTOM events); beside a listener of everything, it built every event.
        Assert.Equal(["CHANNEL_CREATE", "CHANNEL_PARK", "CHANNEL_HANGUP_COMPLETE"], alone.Seen.Select(e => e.Name));
        Assert.Equal(3, alone.Counts.Built);
        Assert.True(alone.Counts.Fired > 10, $"fired {alone.Counts.Fired}");
        Assert.Equal(alone.Counts.Fired, beside.Counts.Fired);
        Assert.Equal(beside.Counts.Fired, beside.Counts.Built);

        // Every event still took its Event-Sequence number: the gaps between what the listener saw are the same.
        Assert.True(Sequence(alone.Seen[1]) - Sequence(alone.Seen[0]) > 1);
        Assert.Equal(alone.Seen.Select(e => Sequence(e) - Sequence(alone.Seen[0])), beside.Seen.Select(e => Sequence(e) - Sequence(beside.Seen[0])));
        // And each event is whole: the same headers, in the same order.
        for (var i = 0; i < alone.Seen.Count; i++)
        {
            Assert.Equal(beside.Seen[i].Headers.Select(h => h.Key), alone.Seen[i].Headers.Select(h => h.Key));
        }
        Assert.Equal("s1", alone.Seen[1].Get("variable_room_id"));
    }

    [Fact]
    public async Task A_custom_subclass_is_built_for_a_listener_that_names_it_and_not_for_one_that_names_another()
    {
        await using var host = await SimulatorHost.StartAsync(Quiet());
        await using var listener = await EslTestClient.ConnectAuthedAsync(host.EslPort);
        await listener.CommandAsync("event plain CUSTOM verto::client_disconnect");
        var selective = host.Switch;

        var before = selective.EventCounts;
        Assert.True(await host.Switch.LoginAsync("1000", "1234", CancellationToken.None));   // verto::client_connect, verto::login
        Assert.Equal(before.Built, selective.EventCounts.Built);

        await listener.CommandAsync("event plain CUSTOM verto::login");
        Assert.True(await host.Switch.LoginAsync("1001", "1234", CancellationToken.None));
        var login = await NextAsync(listener);
        Assert.Equal("verto::login", login.Get("Event-Subclass"));
        Assert.Equal(before.Built + 1, selective.EventCounts.Built);
    }

    [Fact]
    public async Task An_outbound_session_that_subscribed_to_nothing_still_ends_when_its_channel_goes_down()
    {
        // The socket application's listener notices its channel going down from the channel's events, whatever it
        // subscribed to: those events must be built while it is connected.
        await using var call = await SocketAppCall.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromHours(1));
        await call.Outbound.SendAsync("connect\n\n");
        Assert.Equal(call.Uuid, (await call.Outbound.ReadFrameAsync())["Unique-ID"]);

        call.Host.Switch.Hangup(call.Uuid);

        var rest = Encoding.UTF8.GetString(await call.Outbound.ReadToCloseAsync());
        Assert.StartsWith($"Content-Type: text/disconnect-notice\nControlled-Session-UUID: {call.Uuid}\n", rest, StringComparison.Ordinal);
    }
}
