using FreeSwitchSim.Core;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>The socket application hands the leg to the ESL layer's outbound dialer.</summary>
public sealed class SocketAppTests
{
    private sealed class FakeDialer : IOutboundSocketDialer
    {
        public TaskCompletionSource<(string Uuid, string Host, int Port, bool Async, bool Full)> Called { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SessionEnds { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task RunOutboundAsync(string uuid, string host, int port, bool async, bool full, CancellationToken cancellationToken)
        {
            Called.TrySetResult((uuid, host, port, async, full));
            return SessionEnds.Task;
        }
    }

    [Fact]
    public async Task Sock_extension_runs_socket_async_full_and_sendmsg_apps_run_inside_it()
    {
        using var h = new SwitchHarness();
        var dialer = new FakeDialer();
        h.Switch.OutboundDialer = dialer;
        var a = h.Switch.PlaceSipCall("alice", "Alice", "sock-o1");
        var call = await dialer.Called.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((a, "127.0.0.1", 8084, true, true), call);
        Assert.Equal("o1", h.Switch.Channel(a)!.Variables["room_id"]);

        Assert.Equal("+OK", h.Execute(a, "answer", null));
        Assert.Equal("+OK", h.Execute(a, "playback", "tone_stream://%(300,200,440);loops=2"));
        h.Advance(1000);
        var completed = h.Events.Where(e => e.UniqueId == a && e.Name == "CHANNEL_EXECUTE_COMPLETE").Select(e => e.Get("Application")).ToArray();
        Assert.Equal(new string?[] { "set", "export", "set", "answer", "playback" }, completed);
        Assert.Equal("FILE PLAYED", h.Last(a, "CHANNEL_EXECUTE_COMPLETE").Get("Application-Response"));

        dialer.SessionEnds.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (h.Switch.ChannelExists(a) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.False(h.Switch.ChannelExists(a));
        Assert.Equal("socket", h.Events.Last(e => e.UniqueId == a && e.Name == "CHANNEL_EXECUTE_COMPLETE").Get("Application"));
    }

    [Fact]
    public async Task Socksingle_extension_asks_for_a_synchronous_single_channel_socket()
    {
        using var h = new SwitchHarness();
        var dialer = new FakeDialer();
        h.Switch.OutboundDialer = dialer;
        h.Switch.PlaceSipCall("alice", "Alice", "socksingle-o2");
        var (_, _, _, isAsync, full) = await dialer.Called.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(isAsync);
        Assert.False(full);
    }
}
