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
