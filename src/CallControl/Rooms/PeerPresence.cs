using System.Collections.Concurrent;

namespace CallControl.Rooms;

/// <summary>
/// Who has a signaling socket on another instance, as that instance's messages say: per peer (instance) the users it
/// announced, and per user the peers holding one of their sockets. A peer not heard within the timeout, one that said
/// goodbye, or one whose incarnation changed (it restarted) takes its users with it. Every change that leaves a user
/// on no peer at all reports that user in <c>gone</c>: whether they are now offline everywhere depends on this
/// instance's own sockets, which the caller knows. Reads (<see cref="IsOnlineElsewhere"/>) take no lock: they sit on
/// the path of every room event.
/// </summary>
internal sealed class PeerPresence
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Peer> _peers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _users = new(StringComparer.Ordinal);
    private volatile int _peerCount;

    /// <summary>Whether any peer is alive (presence deltas are only worth publishing then).</summary>
    public bool HasPeers => _peerCount > 0;

    public int PeerCount => _peerCount;

    /// <summary>Whether <paramref name="user"/> has a socket on another instance.</summary>
    public bool IsOnlineElsewhere(string user) => _users.ContainsKey(user);

    /// <summary>The peers holding a socket of <paramref name="user"/> (empty when none).</summary>
    public IReadOnlyList<string> InstancesOf(string user) => _users.TryGetValue(user, out var i) ? i : [];

    /// <summary>
    /// A message from <paramref name="instance"/>: it is alive now. Returns true when this peer is new to us (never
    /// heard, expired, or a new incarnation: the users of the old one are dropped into <paramref name="gone"/>).
    /// </summary>
    public bool Heard(string instance, string incarnation, long now, ICollection<string> gone)
    {
        lock (_gate)
        {
            if (_peers.TryGetValue(instance, out var peer))
            {
                if (peer.Incarnation == incarnation)
                {
                    peer.LastHeard = now;
                    return false;
                }

                RemovePeer(instance, peer, gone);
            }

            _peers[instance] = new Peer(incarnation) { LastHeard = now };
            _peerCount = _peers.Count;
            return true;
        }
    }

    /// <summary>The peer's user opened its first socket there, or closed its last.</summary>
    public void Presence(string instance, string user, bool online, ICollection<string> gone)
    {
        lock (_gate)
        {
            if (!_peers.TryGetValue(instance, out var peer))
            {
                return;
            }

            if (online)
            {
                Add(instance, peer, user);
            }
            else
            {
                Remove(instance, peer, user, gone);
            }
        }
    }

    /// <summary>
    /// One chunk of the peer's full user list. Users are added as chunks arrive; once every chunk of the snapshot is in,
    /// the peer's list becomes exactly the snapshot (users it no longer has are dropped). An older snapshot is ignored.
    /// </summary>
    public void SnapshotChunk(string instance, long snapshotId, int chunk, int chunks, IReadOnlyList<string> users, ICollection<string> gone)
    {
        ArgumentNullException.ThrowIfNull(users);
        lock (_gate)
        {
            if (!_peers.TryGetValue(instance, out var peer) || snapshotId < peer.SnapshotId)
            {
                return;
            }

            if (snapshotId > peer.SnapshotId || peer.SnapshotChunks is null)
            {
                peer.SnapshotId = snapshotId;
                peer.SnapshotChunks = new HashSet<int>();
                peer.SnapshotUsers = new HashSet<string>(StringComparer.Ordinal);
            }

            peer.SnapshotChunks.Add(chunk);
            foreach (var user in users)
            {
                peer.SnapshotUsers!.Add(user);
                Add(instance, peer, user);
            }

            if (peer.SnapshotChunks.Count < chunks)
            {
                return;
            }

            foreach (var user in peer.Users.Where(u => !peer.SnapshotUsers!.Contains(u)).ToArray())
            {
                Remove(instance, peer, user, gone);
            }

            // Complete: a repeat of its chunks changes nothing; only a newer snapshot starts over.
            peer.SnapshotId++;
            peer.SnapshotChunks = null;
            peer.SnapshotUsers = null;
        }
    }

    /// <summary>The peer stops (goodbye): it and its users are gone.</summary>
    public void Goodbye(string instance, string incarnation, ICollection<string> gone)
    {
        lock (_gate)
        {
            if (_peers.TryGetValue(instance, out var peer) && peer.Incarnation == incarnation)
            {
                RemovePeer(instance, peer, gone);
            }
        }
    }

    /// <summary>Drops every peer not heard since <paramref name="heardAfter"/>; returns their names.</summary>
    public IReadOnlyList<string> Expire(long heardAfter, ICollection<string> gone)
    {
        lock (_gate)
        {
            var expired = _peers.Where(p => p.Value.LastHeard < heardAfter).Select(p => p.Key).ToArray();
            foreach (var instance in expired)
            {
                RemovePeer(instance, _peers[instance], gone);
            }

            return expired;
        }
    }

    /// <summary>Counts every peer as heard now (this instance could not listen for a while: not their fault).</summary>
    public void Grace(long now)
    {
        lock (_gate)
        {
            foreach (var peer in _peers.Values)
            {
                peer.LastHeard = Math.Max(peer.LastHeard, now);
            }
        }
    }

    private void RemovePeer(string instance, Peer peer, ICollection<string> gone)
    {
        foreach (var user in peer.Users.ToArray())
        {
            Remove(instance, peer, user, gone);
        }

        _peers.Remove(instance);
        _peerCount = _peers.Count;
    }

    private void Add(string instance, Peer peer, string user)
    {
        if (peer.Users.Add(user))
        {
            _users[user] = _users.TryGetValue(user, out var held) ? [.. held, instance] : [instance];
        }
    }

    private void Remove(string instance, Peer peer, string user, ICollection<string> gone)
    {
        if (!peer.Users.Remove(user) || !_users.TryGetValue(user, out var held))
        {
            return;
        }

        var left = held.Where(i => i != instance).ToArray();
        if (left.Length == 0)
        {
            _users.TryRemove(user, out _);
            gone.Add(user);
        }
        else
        {
            _users[user] = left;
        }
    }

    private sealed class Peer(string incarnation)
    {
        public string Incarnation { get; } = incarnation;

        public long LastHeard { get; set; }

        public HashSet<string> Users { get; } = new(StringComparer.Ordinal);

        /// <summary>The snapshot being assembled (or the next expected id once one completed).</summary>
        public long SnapshotId { get; set; }

        public HashSet<int>? SnapshotChunks { get; set; }

        public HashSet<string>? SnapshotUsers { get; set; }
    }
}
