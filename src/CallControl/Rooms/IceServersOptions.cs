namespace CallControl.Rooms;

/// <summary>Configuration section <c>IceServers</c>: STUN/TURN URLs and the TURN REST API shared secret.</summary>
public sealed class IceServersOptions
{
    public const string SectionName = "IceServers";

    /// <summary>e.g. <c>stun:turn.example.com:3478</c>.</summary>
    public string[]? StunUrls { get; set; }

    /// <summary>e.g. <c>turn:turn.example.com:3478?transport=udp</c>, <c>turns:turn.example.com:5349</c>.</summary>
    public string[]? TurnUrls { get; set; }

    /// <summary>coturn's <c>static-auth-secret</c> (with <c>use-auth-secret</c>); required when TURN URLs are set.</summary>
    public string TurnSecret { get; set; } = "";

    /// <summary>How long TURN credentials stay valid.</summary>
    public TimeSpan CredentialTtl { get; set; } = TimeSpan.FromHours(1);
}
