using System.Collections.Concurrent;
using System.Text;
using CallControl.Esl.Events;
using CallControl.Switch;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Tests.Switch;

public sealed class EventDispatcherTests
{
    [Fact]
    public async Task Dispatch_keeps_each_channels_order_while_channels_run_in_parallel()
    {
        var handler = new SlowRecorder();
        var dispatcher = new EventDispatcher([handler, new ThrowingHandler()], partitions: 4, capacity: 16, NullLogger.Instance);
        dispatcher.Start();
        var channels = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid().ToString()).ToArray();

        for (var seq = 0; seq < 50; seq++)
        {
            foreach (var channel in channels)
            {
                await dispatcher.DispatchAsync("n1", Event(channel, seq), CancellationToken.None);
            }
        }

        await dispatcher.DisposeAsync();

        foreach (var channel in channels)
        {
            Assert.Equal(Enumerable.Range(0, 50), handler.Seen[channel]);
        }

    }

    [Fact]
    public async Task Dispatch_handles_other_channels_while_one_channel_is_busy()
    {
        var blocked = Guid.NewGuid().ToString();
        var handler = new BlockingHandler(blocked);
        var dispatcher = new EventDispatcher([handler], partitions: 4, capacity: 16, NullLogger.Instance);
        dispatcher.Start();

        await dispatcher.DispatchAsync("n1", Event(blocked, 0), CancellationToken.None);
        // 20 other channels over 4 queues: some land on a queue other than the blocked channel's.
        for (var i = 0; i < 20; i++)
        {
            await dispatcher.DispatchAsync("n1", Event(Guid.NewGuid().ToString(), 0), CancellationToken.None);
        }

        await dispatcher.DisposeAsync();

        Assert.True(handler.OtherRanWhileBlocked);
    }

    private static EslEvent Event(string uuid, int seq) =>
        EslEvent.ParseJson(Encoding.UTF8.GetBytes($$"""{"Event-Name":"DTMF","Unique-ID":"{{uuid}}","Seq":"{{seq}}"}"""));

    private sealed class SlowRecorder : IFreeSwitchEventHandler
    {
        public ConcurrentDictionary<string, List<int>> Seen { get; } = new();

        public async ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken)
        {
            await Task.Yield();
            Thread.SpinWait(2000);
            // One reader per partition: no lock needed for a channel's own list.
            Seen.GetOrAdd(freeSwitchEvent.UniqueId!, _ => []).Add(int.Parse(freeSwitchEvent["Seq"]!, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private sealed class BlockingHandler(string blocked) : IFreeSwitchEventHandler
    {
        private readonly TaskCompletionSource _other = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool OtherRanWhileBlocked { get; private set; }

        public async ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken)
        {
            if (freeSwitchEvent.UniqueId == blocked)
            {
                try
                {
                    await _other.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                    OtherRanWhileBlocked = true;
                }
                catch (TimeoutException)
                {
                }
            }
            else
            {
                _other.TrySetResult();
            }
        }
    }

    private sealed class ThrowingHandler : IFreeSwitchEventHandler
    {
        public ValueTask HandleAsync(string node, EslEvent freeSwitchEvent, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a handler bug must not stop delivery");
    }
}
