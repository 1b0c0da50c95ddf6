using CallControl.Calls;

namespace CallControl.Rooms;

/// <summary>Configuration section <c>Rooms</c>: ring timers, verto login lifetime and the fallback policy defaults.</summary>
public sealed class RoomsOptions
{
    public const string SectionName = "Rooms";

    /// <summary>How long the app rings before the call falls back to the phone (or ends as no_answer).</summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The carrier leg's <c>originate_timeout</c> (whole seconds on the wire).</summary>
    public TimeSpan PstnRingTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How long a one-time verto login stays usable.</summary>
    public TimeSpan VertoLoginTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the router keeps a call after it ended (its legs' last events arrive within it). After that it keeps
    /// only how the call ended, for the logins' lifetime, and hangs up a leg that parks in the room from that. Not the
    /// whole call for the logins' lifetime: at 300 calls a second, ten minutes of ended calls is 180,000 of them.
    /// </summary>
    public TimeSpan EndedCallGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Fallback to the callee's phone per reason; busy and refused default to off (the person said no).</summary>
    public FallbackOptions Fallback { get; set; } = new();

    internal bool IsValid =>
        RingTimeout > TimeSpan.Zero && PstnRingTimeout >= TimeSpan.FromSeconds(1) && VertoLoginTtl > TimeSpan.Zero
        && EndedCallGrace > TimeSpan.Zero;
}

/// <summary>The configurable defaults of <see cref="FallbackPolicy"/>.</summary>
public sealed class FallbackOptions
{
    public bool OnOffline { get; set; } = FallbackPolicy.Default.OnOffline;

    public bool OnNoAnswer { get; set; } = FallbackPolicy.Default.OnNoAnswer;

    public bool OnAppFailure { get; set; } = FallbackPolicy.Default.OnAppFailure;

    public bool OnBusy { get; set; } = FallbackPolicy.Default.OnBusy;

    public bool OnRefused { get; set; } = FallbackPolicy.Default.OnRefused;

    public FallbackPolicy ToPolicy() => new(OnOffline, OnNoAnswer, OnAppFailure, OnBusy, OnRefused);
}
