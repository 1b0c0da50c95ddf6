namespace CallControl.Dialing;

/// <summary>Configuration section <c>Dialing</c>: the carrier gateway and the toll-fraud policy.</summary>
public sealed class DialingOptions
{
    public const string SectionName = "Dialing";

    /// <summary>Premium-rate and high-fraud ranges refused unless configuration names its own list.</summary>
    public static readonly IReadOnlyList<string> DefaultBlockedPrefixes =
    [
        "+1900", "+1976",                          // North American premium rate
        "+44871", "+44872", "+44873", "+449",      // UK premium rate and special services
        "+4470",                                   // UK personal numbers (a classic fraud range)
        "+881", "+882", "+883", "+979",            // satellite, international networks, international premium rate
    ];

    /// <summary>Whether PSTN dialing is on at all; off refuses every number with reason <c>policy</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The sofia gateway carrier calls go through (<c>sofia/gateway/&lt;name&gt;/...</c>).</summary>
    public string Gateway { get; set; } = "carrier";

    /// <summary>Further gateways a dial string may name (e.g. for tests); <see cref="Gateway"/> is always allowed.</summary>
    public string[]? ExtraGateways { get; set; }

    /// <summary>When set, a number must start with one of these (e.g. <c>+1</c>, <c>+44</c>); null or empty allows any.</summary>
    public string[]? AllowedPrefixes { get; set; }

    /// <summary>Numbers starting with any of these are refused; null uses <see cref="DefaultBlockedPrefixes"/>.</summary>
    public string[]? BlockedPrefixes { get; set; }

    /// <summary>Per user: carrier calls live at once.</summary>
    public int MaxConcurrentPstnCalls { get; set; } = 2;

    /// <summary>Per user: carrier calls dialed in the last 24 hours.</summary>
    public int MaxPstnCallsPerDay { get; set; } = 50;

    internal IReadOnlyList<string> EffectiveBlockedPrefixes => BlockedPrefixes ?? [.. DefaultBlockedPrefixes];

    internal IEnumerable<string> AllGateways => [Gateway, .. ExtraGateways ?? []];
}
