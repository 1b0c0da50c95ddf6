using CallControl.Switch;

namespace CallControl.Tests.Cluster;

/// <summary>Where a new room goes, without I/O: one row per situation.</summary>
public sealed class NodeSelectorTests
{
    private static readonly ClusterOptions Options = new() { MaxSessionLoad = 0.9, MinIdleCpu = 5.0 };

    private static NodeState Node(string name, int? sessions = 0, int? max = 1000, double? idle = 99.0, bool connected = true, bool steering = true) =>
        new(name, connected, 0, null, null, sessions, idle, max, null, "ws://" + name, steering);

    public static TheoryData<string, NodeState[], string[], string?> Cases => new()
    {
        { "least sessions for its size wins", [Node("a", 300), Node("b", 100)], [], "b" },
        { "share, not count: 50 of 100 is busier than 300 of 1000", [Node("a", 50, 100), Node("b", 300)], [], "b" },
        { "equal share: more idle CPU wins", [Node("a", idle: 40), Node("b", idle: 80)], [], "b" },
        { "all equal: by name, every time", [Node("b"), Node("a")], [], "a" },
        { "disconnected is never picked", [Node("a", connected: false), Node("b", 500)], [], "b" },
        { "a node another instance steers is never picked", [Node("a", steering: false), Node("b", 500)], [], "b" },
        { "draining is never picked", [Node("a"), Node("b", 500)], ["A"], "b" },
        { "at the session threshold is overloaded", [Node("a", 900), Node("b", 10, idle: 10)], [], "b" },
        { "under the idle CPU floor is overloaded", [Node("a", idle: 4.9), Node("b", 800)], [], "b" },
        { "no HEARTBEAT yet counts as idle", [Node("a", null, null, null), Node("b", 1)], [], "a" },
        { "nothing healthy: none", [Node("a", 950), Node("b", idle: 1)], [], null },
        { "nothing at all: none", [], [], null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Picks_the_healthiest_usable_node(string situation, NodeState[] nodes, string[] draining, string? expected)
    {
        var picked = NodeSelector.Pick(nodes, draining.ToHashSet(StringComparer.OrdinalIgnoreCase), Options);
        Assert.True(expected == picked?.Name, $"{situation}: expected {expected ?? "none"}, got {picked?.Name ?? "none"}");
    }

    [Fact]
    public void Lease_keys_are_stable_across_processes_and_case_but_differ_by_node_and_namespace()
    {
        // A fixed value: every instance and every build must derive the same key for the same node.
        Assert.Equal(NodeLease.KeyFor("callcontrol", "fs-1"), NodeLease.KeyFor("callcontrol", "FS-1"));
        // SHA-256("callcontrol-node-lease\ncallcontrol\nfs-1"), first 8 bytes big-endian (computed outside .NET).
        Assert.Equal(3_713_940_045_983_640_585L, NodeLease.KeyFor("callcontrol", "fs-1"));
        Assert.NotEqual(NodeLease.KeyFor("callcontrol", "fs-1"), NodeLease.KeyFor("callcontrol", "fs-2"));
        Assert.NotEqual(NodeLease.KeyFor("callcontrol", "fs-1"), NodeLease.KeyFor("staging", "fs-1"));
    }
}
