using CallControl.Rooms;

namespace CallControl.Tests.Rooms;

/// <summary>The remote presence map: who has a socket on which peer, and who is left on none when a peer changes.</summary>
public sealed class PeerPresenceTests
{
    private readonly PeerPresence _presence = new();
    private readonly List<string> _gone = [];

    [Fact]
    public void A_user_is_online_elsewhere_while_any_peer_holds_a_socket()
    {
        _presence.Heard("b", "1", 0, _gone);
        _presence.Heard("c", "1", 0, _gone);
        Assert.True(_presence.HasPeers);
        _presence.Presence("b", "bob", online: true, _gone);
        _presence.Presence("c", "bob", online: true, _gone);
        Assert.True(_presence.IsOnlineElsewhere("bob"));
        Assert.Equal(["b", "c"], _presence.InstancesOf("bob"));

        _presence.Presence("b", "bob", online: false, _gone);
        Assert.True(_presence.IsOnlineElsewhere("bob"));
        Assert.Empty(_gone);
        _presence.Presence("c", "bob", online: false, _gone);
        Assert.False(_presence.IsOnlineElsewhere("bob"));
        Assert.Equal(["bob"], _gone);
    }

    [Fact]
    public void Presence_from_a_peer_never_heard_is_ignored()
    {
        _presence.Presence("ghost", "bob", online: true, _gone);
        Assert.False(_presence.IsOnlineElsewhere("bob"));
        Assert.False(_presence.HasPeers);
    }

    [Fact]
    public void A_peer_not_heard_within_the_timeout_expires_with_its_users()
    {
        Assert.True(_presence.Heard("b", "1", 1_000, _gone));
        Assert.True(_presence.Heard("c", "1", 1_000, _gone));
        _presence.Presence("b", "bob", true, _gone);
        _presence.Presence("b", "carol", true, _gone);
        _presence.Presence("c", "carol", true, _gone);
        Assert.False(_presence.Heard("c", "1", 5_000, _gone));

        Assert.Empty(_presence.Expire(heardAfter: 900, _gone));
        Assert.Equal(["b"], _presence.Expire(heardAfter: 4_000, _gone));

        Assert.Equal(["bob"], _gone);
        Assert.False(_presence.IsOnlineElsewhere("bob"));
        Assert.True(_presence.IsOnlineElsewhere("carol"));
        Assert.Equal(1, _presence.PeerCount);
    }

    [Fact]
    public void Grace_keeps_peers_alive_after_this_instance_could_not_listen()
    {
        _presence.Heard("b", "1", 1_000, _gone);
        _presence.Grace(10_000);
        Assert.Empty(_presence.Expire(heardAfter: 9_000, _gone));
    }

    [Fact]
    public void Goodbye_drops_the_peer_at_once_but_only_its_own_incarnation()
    {
        _presence.Heard("b", "2", 0, _gone);
        _presence.Presence("b", "bob", true, _gone);
        _presence.Goodbye("b", "1", _gone);
        Assert.True(_presence.IsOnlineElsewhere("bob"));

        _presence.Goodbye("b", "2", _gone);
        Assert.False(_presence.IsOnlineElsewhere("bob"));
        Assert.Equal(["bob"], _gone);
        Assert.False(_presence.HasPeers);
    }

    [Fact]
    public void A_restarted_peer_with_the_same_name_replaces_its_predecessors_users()
    {
        _presence.Heard("b", "old", 0, _gone);
        _presence.Presence("b", "bob", true, _gone);

        Assert.True(_presence.Heard("b", "new", 10, _gone));

        Assert.Equal(["bob"], _gone);
        Assert.False(_presence.IsOnlineElsewhere("bob"));
    }

    [Fact]
    public void A_complete_snapshot_replaces_the_peers_users_and_a_stale_one_is_ignored()
    {
        _presence.Heard("b", "1", 0, _gone);
        _presence.Presence("b", "stale", true, _gone);
        _presence.Presence("b", "bob", true, _gone);

        _presence.SnapshotChunk("b", 1, 0, 2, ["bob", "carol"], _gone);
        Assert.True(_presence.IsOnlineElsewhere("carol"));
        Assert.True(_presence.IsOnlineElsewhere("stale"));
        _presence.SnapshotChunk("b", 1, 1, 2, ["dave"], _gone);
        Assert.False(_presence.IsOnlineElsewhere("stale"));
        Assert.Equal(["stale"], _gone);
        Assert.All(["bob", "carol", "dave"], u => Assert.True(_presence.IsOnlineElsewhere(u)));

        // A repeat of snapshot 1 adds nothing back; snapshot 2 (complete in one chunk) replaces again.
        _presence.SnapshotChunk("b", 1, 0, 1, ["stale"], _gone);
        Assert.False(_presence.IsOnlineElsewhere("stale"));
        _presence.SnapshotChunk("b", 2, 0, 1, [], _gone);
        Assert.All(["bob", "carol", "dave"], u => Assert.False(_presence.IsOnlineElsewhere(u)));
    }

    [Fact]
    public void A_newer_snapshot_interrupting_an_older_one_starts_over()
    {
        _presence.Heard("b", "1", 0, _gone);
        _presence.SnapshotChunk("b", 3, 0, 2, ["bob"], _gone);
        _presence.SnapshotChunk("b", 4, 0, 1, ["carol"], _gone);

        Assert.False(_presence.IsOnlineElsewhere("bob"));
        Assert.True(_presence.IsOnlineElsewhere("carol"));
        // The rest of snapshot 3 arrives late: ignored.
        _presence.SnapshotChunk("b", 3, 1, 2, ["erin"], _gone);
        Assert.False(_presence.IsOnlineElsewhere("erin"));
    }
}
