using System.Collections.Concurrent;
using CallControl.Esl.Events;
using CallControl.Switch;
using CallControl.Tests.Support;
using FreeSwitchSim;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.Tests.Switch;

/// <summary>The node pool against the simulator: connect, events per channel in order, heartbeat figures, reconnect,
/// and commands.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class NodePoolTests
{
    [Fact]
    public async Task Pool_connects_delivers_a_channels_events_in_order_and_reads_heartbeat()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            ConfigureSwitch = s => s.HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        });
        var handler = new RecordingHandler();
        var listener = new RecordingListener();
        await using var pool = Pool(handler, listener, ("n1", sim.EslPort));
        await pool.StartAsync(CancellationToken.None);
        await ServiceHostWait.UntilAsync(() => pool.AnyConnected, "n1 connected");

        Assert.True(await sim.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        var uuid = sim.Switch.PlaceCall("1000", "room-q");
        await ServiceHostWait.UntilAsync(() => handler.For(uuid).Contains("CHANNEL_PARK"), "CHANNEL_PARK");
        sim.Switch.Hangup(uuid);
        await ServiceHostWait.UntilAsync(() => handler.For(uuid).Contains("CHANNEL_HANGUP_COMPLETE"), "CHANNEL_HANGUP_COMPLETE");
        await ServiceHostWait.UntilAsync(() => pool.State("n1")!.SessionCount is not null, "a HEARTBEAT");

        var names = handler.For(uuid);
        Assert.True(names.IndexOf("CHANNEL_CREATE") < names.IndexOf("CHANNEL_PARK"), string.Join(",", names));
        Assert.True(names.IndexOf("CHANNEL_PARK") < names.IndexOf("CHANNEL_HANGUP"), string.Join(",", names));
        Assert.True(names.IndexOf("CHANNEL_HANGUP") < names.IndexOf("CHANNEL_HANGUP_COMPLETE"), string.Join(",", names));
        // Only what the service subscribed to arrives (CHANNEL_STATE is not among them).
        Assert.DoesNotContain("CHANNEL_STATE", names);
        Assert.Contains(handler.Nodes, n => n == "n1");
        var state = pool.State("n1")!;
        Assert.True(state.Connected);
        Assert.Equal(1000, state.MaxSessions);
        Assert.NotNull(state.IdleCpu);
        Assert.Equal([(false)], listener.Connects);
    }

    [Fact]
    public async Task Pool_gets_the_bridge_apps_execute_complete_and_not_the_dialplans_others()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions());
        var fired = new ConcurrentQueue<string>();
        sim.Switch.EventFired += e =>
        {
            if (e.Name == "CHANNEL_EXECUTE_COMPLETE")
            {
                fired.Enqueue(e.Get("Application") ?? "?");
            }
        };
        var handler = new RecordingHandler();
        await using var pool = Pool(handler, new RecordingListener(), ("n1", sim.EslPort));
        await pool.StartAsync(CancellationToken.None);
        await ServiceHostWait.UntilAsync(() => pool.AnyConnected, "n1 connected");
        Assert.True(await sim.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        var uuid = sim.Switch.PlaceCall("1000", "room-q");
        await ServiceHostWait.UntilAsync(() => handler.For(uuid).Contains("CHANNEL_PARK"), "CHANNEL_PARK");

        // The carrier answers busy: the bridge app ends at once, with its CHANNEL_EXECUTE_COMPLETE.
        var bridge = await pool.Commands("n1")!.SendMsgExecuteAsync(uuid, "bridge", "sofia/gateway/carrier_busy/+15550001111");
        await ServiceHostWait.UntilAsync(() => handler.AppsFor(uuid).Contains("bridge"), "the bridge's CHANNEL_EXECUTE_COMPLETE");
        sim.Switch.Hangup(uuid);
        await ServiceHostWait.UntilAsync(() => handler.For(uuid).Contains("CHANNEL_HANGUP_COMPLETE"), "CHANNEL_HANGUP_COMPLETE");

        Assert.Equal("bridge", bridge.Application);
        // The simulator ran the room dialplan's applications (set, export, park) before the bridge ...
        Assert.Contains("set", fired);
        Assert.Contains("park", fired);
        Assert.Contains("bridge", fired);
        // ... and only the bridge's completion reached the service; every other subscribed event still did.
        Assert.Equal(["bridge"], handler.AppsFor(uuid));
        Assert.Equal(1, handler.For(uuid).Count(n => n == "CHANNEL_EXECUTE_COMPLETE"));
        foreach (var name in new[] { "CHANNEL_CREATE", "CHANNEL_PARK", "CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE" })
        {
            Assert.Contains(name, handler.For(uuid));
        }
    }

    [Fact]
    public void Filters_let_every_subscribed_event_through_by_name_and_execute_complete_only_for_bridge()
    {
        var filters = FreeSwitchNode.Filters.Select(f => $"{f.Key} {f.Value}").ToList();

        Assert.Contains("Event-Name CUSTOM", filters);
        Assert.Contains("Event-Name BACKGROUND_JOB", filters);
        Assert.Equal(["bridge"], FreeSwitchNode.ExecutedApplications);
        Assert.Contains("Application bridge", filters);
        Assert.DoesNotContain("Event-Name CHANNEL_EXECUTE_COMPLETE", filters);
        Assert.DoesNotContain(filters, f => f.Contains("verto::", StringComparison.Ordinal));   // subclasses are CUSTOM events
        var named = FreeSwitchNode.Subscriptions.TakeWhile(n => n != "CUSTOM").Where(n => n != "CHANNEL_EXECUTE_COMPLETE");
        Assert.All(named, n => Assert.Contains($"Event-Name {n}", filters));
    }

    [Fact]
    public async Task Pool_reconnects_after_a_drop_and_tells_listeners()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions());
        var listener = new RecordingListener();
        await using var pool = Pool(new RecordingHandler(), listener, ("n1", sim.EslPort));
        await pool.StartAsync(CancellationToken.None);
        await ServiceHostWait.UntilAsync(() => listener.Connects.Count == 1, "first connect");

        sim.Faults.Drop();

        await ServiceHostWait.UntilAsync(() => listener.Connects.Count == 2, "reconnect");
        Assert.Equal([false, true], listener.Connects);
        Assert.True(listener.Disconnects >= 1);
        Assert.Equal(1, pool.State("n1")!.ReconnectCount);
        Assert.True(pool.State("n1")!.Connected);
    }

    [Fact]
    public async Task Commands_answer_and_kill_a_parked_leg()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions());
        var handler = new RecordingHandler();
        await using var pool = Pool(handler, new RecordingListener(), ("n1", sim.EslPort));
        await pool.StartAsync(CancellationToken.None);
        await ServiceHostWait.UntilAsync(() => pool.AnyConnected, "n1 connected");
        Assert.True(await sim.Switch.LoginAsync("1003", "1234", CancellationToken.None));
        var uuid = sim.Switch.PlaceCall("1003", "room-k");
        await ServiceHostWait.UntilAsync(() => handler.For(uuid).Contains("CHANNEL_PARK"), "CHANNEL_PARK");
        var commands = pool.Commands("n1")!;

        var answered = await commands.UuidAnswerAsync(uuid);
        var set = await commands.UuidSetVarAsync(uuid, "x_leg_role", "caller");
        var role = await commands.UuidGetVarAsync(uuid, "x_leg_role");
        var killed = await commands.UuidKillAsync(uuid, "NORMAL_CLEARING");
        await ServiceHostWait.UntilAsync(() => handler.For(uuid).Contains("CHANNEL_HANGUP_COMPLETE"), "hangup");
        var gone = await commands.UuidKillAsync(uuid);

        Assert.True(answered.Ok, answered.Text);
        Assert.True(set.Ok, set.Text);
        Assert.Equal("caller", role.Text.Trim());
        Assert.True(killed.Ok, killed.Text);
        Assert.Contains("CHANNEL_ANSWER", handler.For(uuid));
        Assert.False(gone.Ok);
        Assert.Null(pool.Commands("no-such-node"));
    }

    private static NodePool Pool(IFreeSwitchEventHandler handler, INodeConnectionListener listener, params (string Name, int Port)[] nodes)
    {
        var options = new FreeSwitchOptions { DispatchPartitions = 4 };
        foreach (var (name, port) in nodes)
        {
            options.Nodes.Add(new FreeSwitchNodeOptions { Name = name, Host = "127.0.0.1", Port = port, Password = "ClueCon" });
        }

        return new NodePool(Options.Create(options), [handler], [listener], NullLoggerFactory.Instance);
    }

    private sealed class RecordingHandler : IFreeSwitchEventHandler
    {
        private readonly ConcurrentDictionary<string, List<string>> _byChannel = new();

        private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _apps = new();

        public ConcurrentBag<string> Nodes { get; } = [];

        /// <summary>The applications of the channel's CHANNEL_EXECUTE_COMPLETE events, in order.</summary>
        public List<string> AppsFor(string uuid) => [.. _apps.GetOrAdd(uuid, _ => new())];

        public List<string> For(string uuid)
        {
            var list = _byChannel.GetOrAdd(uuid, _ => []);
            lock (list)
            {
                return [.. list];
            }
        }

        public ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken)
        {
            Nodes.Add(node);
            if (freeSwitchEvent.UniqueId is { } uuid)
            {
                var list = _byChannel.GetOrAdd(uuid, _ => []);
                lock (list)
                {
                    list.Add(freeSwitchEvent.EventName!);
                }

                if (freeSwitchEvent.EventName == "CHANNEL_EXECUTE_COMPLETE")
                {
                    _apps.GetOrAdd(uuid, _ => new()).Enqueue(freeSwitchEvent.Application ?? "?");
                }
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingListener : INodeConnectionListener
    {
        private readonly List<bool> _connects = [];
        private int _disconnects;

        public List<bool> Connects
        {
            get
            {
                lock (_connects)
                {
                    return [.. _connects];
                }
            }
        }

        public int Disconnects => Volatile.Read(ref _disconnects);

        public ValueTask OnConnectedAsync(string node, bool isReconnect, CancellationToken cancellationToken)
        {
            lock (_connects)
            {
                _connects.Add(isReconnect);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask OnDisconnectedAsync(string node, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _disconnects);
            return ValueTask.CompletedTask;
        }
    }
}
