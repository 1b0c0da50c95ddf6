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

        public ConcurrentBag<string> Nodes { get; } = [];

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
