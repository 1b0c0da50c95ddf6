namespace CallControl.Switch;

/// <summary>What the service knows about a node right now: connection, reconnects, and the load figures of its last
/// HEARTBEAT (FreeSWITCH sends one every 20 s by default, with Session-Count, Idle-CPU and Max-Sessions), and whether
/// this instance steers it (holds its lease).</summary>
public sealed record NodeState(
    string Name,
    bool Connected,
    int ReconnectCount,
    DateTimeOffset? ConnectedSince,
    DateTimeOffset? LastHeartbeatAt,
    int? SessionCount,
    double? IdleCpu,
    int? MaxSessions,
    string? LastError,
    string? VertoUrl,
    bool Steering = true);
