using System.Net.WebSockets;
using CallControl.Rooms;

namespace CallControl.Tests.Rooms;

/// <summary>The local registry of signaling sockets: a user is online while any of their sockets is registered, and
/// their entry goes with the last one (a long-running instance keeps no entry per user ever connected).</summary>
public sealed class SignalHubTests
{
    [Fact]
    public void A_users_entry_goes_with_their_last_socket_and_comes_back_with_a_new_one()
    {
        var hub = new SignalHub();
        using var first = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });
        using var second = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });

        var a = hub.Register("alice", first);
        var b = hub.Register("alice", second);
        Assert.True(hub.IsOnline("alice"));
        Assert.Equal(1, hub.UserEntries);

        Assert.False(a.Close());
        Assert.True(hub.IsOnline("alice"));
        Assert.False(a.Close());

        Assert.True(b.Close());
        Assert.False(hub.IsOnline("alice"));
        Assert.Equal(0, hub.UserEntries);

        var c = hub.Register("alice", first);
        Assert.True(hub.IsOnline("alice"));
        Assert.True(c.Close());
        Assert.Equal(0, hub.UserEntries);
    }

    [Fact]
    public async Task A_resync_holds_the_users_sockets_so_an_event_pushed_while_it_reads_follows_the_state_it_read()
    {
        var hub = new SignalHub();
        var sent = new MemoryStream();
        using var socket = WebSocket.CreateFromStream(sent, new WebSocketCreationOptions { IsServer = true });
        hub.Register("bob", socket);
        var call = Guid.NewGuid();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var resync = hub.ResyncAsync(
            ["bob", "nobody-here"],
            async _ =>
            {
                reading.SetResult();
                await proceed.Task;
                return [("bob", new CallControl.Calls.Router.RoomEvent("state", "r1", call, "ringing", "alice", "audio"))];
            },
            CancellationToken.None);
        await reading.Task;
        // The call moves on while the resync reads: its event waits for the state read before it.
        var pushed = hub.NotifyAsync("bob", new CallControl.Calls.Router.RoomEvent("canceled", "r1", call, "canceled", "alice", "audio"), CancellationToken.None);
        await Task.Delay(100);
        Assert.False(pushed.IsCompleted);
        proceed.SetResult();

        Assert.Equal(1, await resync);
        await pushed;
        Assert.Equal(["state:ringing", "canceled:canceled"], Frames(sent.ToArray()));
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_cut_off_after_the_send_timeout_and_holds_up_nobody_else()
    {
        var hub = new SignalHub(TimeSpan.FromMilliseconds(300));
        using var stuck = WebSocket.CreateFromStream(new UnreadStream(), new WebSocketCreationOptions { IsServer = true });
        var carolSent = new MemoryStream();
        using var carol = WebSocket.CreateFromStream(carolSent, new WebSocketCreationOptions { IsServer = true });
        hub.Register("bob", stuck);
        hub.Register("carol", carol);
        var call = Guid.NewGuid();
        var took = System.Diagnostics.Stopwatch.StartNew();

        // Bob's state comes first; his socket takes nothing.
        var sent = await hub.ResyncAsync(
            ["bob", "carol"],
            _ => Task.FromResult<IReadOnlyList<(string User, CallControl.Calls.Router.RoomEvent Event)>>(
            [
                ("bob", new CallControl.Calls.Router.RoomEvent("state", "r1", call, "ringing", "alice", "audio")),
                ("carol", new CallControl.Calls.Router.RoomEvent("state", "r2", call, "answered", "alice", "audio")),
            ]),
            CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var resyncTook = took.Elapsed;
        // A push to bob afterwards does not wait either: he is cut off.
        await hub.NotifyAsync("bob", new CallControl.Calls.Router.RoomEvent("canceled", "r1", call, "canceled", "alice", "audio"), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["state:answered"], Frames(carolSent.ToArray()));
        Assert.Equal(WebSocketState.Aborted, stuck.State);
        Assert.InRange(resyncTook, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(2, sent); // both were attempted on open sockets
    }

    // A peer that never reads: every write waits until it is cancelled.
    private sealed class UnreadStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await Task.Delay(Timeout.Infinite, cancellationToken);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    // The server's text frames (unmasked) in order, as "type:status".
    private static List<string> Frames(byte[] bytes)
    {
        var frames = new List<string>();
        var i = 0;
        while (i < bytes.Length)
        {
            var length = bytes[i + 1] & 0x7f;
            i += 2;
            if (length == 126)
            {
                length = (bytes[i] << 8) | bytes[i + 1];
                i += 2;
            }

            using var json = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(i, length));
            frames.Add($"{json.RootElement.GetProperty("type").GetString()}:{json.RootElement.GetProperty("status").GetString()}");
            i += length;
        }

        return frames;
    }

    [Fact]
    public async Task Sockets_registered_and_closed_at_once_by_many_users_leave_exactly_the_open_ones()
    {
        var hub = new SignalHub();
        using var socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });
        var kept = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForAsync(0, 2000, (i, _) =>
        {
            var user = "u" + (i % 50);
            var r = hub.Register(user, socket);
            if (i % 7 == 0)
            {
                kept.Add(user);
            }
            else
            {
                r.Close();
            }

            return ValueTask.CompletedTask;
        });

        var expected = kept.Distinct().Order().ToList();
        Assert.Equal(expected, hub.OnlineUsers.Order().ToList());
        Assert.Equal(expected.Count, hub.UserEntries);
    }
}
