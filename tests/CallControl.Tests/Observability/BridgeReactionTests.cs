using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CallControl.Observability;
using CallControl.Tests.Scenarios;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Observability;

/// <summary><c>callcontrol.bridge.reaction</c>: the service's own share of park-to-bridge, through the real pipeline.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class BridgeReactionTests(RoomWorld world)
{
    private static readonly TimeSpan CalleeLater = TimeSpan.FromMilliseconds(800);

    [Fact]
    public async Task A_bridge_is_timed_once_from_the_park_that_completed_the_pair_not_from_the_callers()
    {
        var meter = world.Services.GetRequiredService<ServiceMetrics>().Meter;
        var reactions = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This host's meter only: other hosts in the test process have meters of the same name.
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "callcontrol.bridge.reaction")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => reactions.Enqueue(value));
        listener.Start();

        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551190001"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        await calleeSignal.UntilAsync("invite");
        await world.EnterRoomAsync(room);
        // The caller's leg parks now; the callee's well after it. Timed from the caller's park, the bridge would take
        // longer than the whole window below.
        await Task.Delay(CalleeLater);
        var calleeEntering = Stopwatch.GetTimestamp();
        await world.EnterRoomAsync(await world.ClientFor(callee).JoinAsync(room.RoomId));
        await alice.UntilStatusAsync(room.RoomId, "answered");
        var window = Stopwatch.GetElapsedTime(calleeEntering).TotalMilliseconds;

        var reaction = Assert.Single(reactions);
        Assert.InRange(reaction, 0, window);
    }
}
