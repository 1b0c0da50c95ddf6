namespace CallControl.Calls;

/// <summary>
/// For which reasons a call may go to the callee's phone. Defaults come from configuration; a room can override
/// each reason. Busy and refused default to no fallback: the person said no.
/// </summary>
public sealed record FallbackPolicy(bool OnOffline, bool OnNoAnswer, bool OnAppFailure, bool OnBusy, bool OnRefused)
{
    public static FallbackPolicy Default { get; } = new(
        OnOffline: true, OnNoAnswer: true, OnAppFailure: true, OnBusy: false, OnRefused: false);

    public bool Allows(FallbackReason reason) => reason switch
    {
        FallbackReason.Offline => OnOffline,
        FallbackReason.NoAnswer => OnNoAnswer,
        FallbackReason.AppFailure => OnAppFailure,
        FallbackReason.Busy => OnBusy,
        FallbackReason.Refused => OnRefused,
        _ => false,
    };

    /// <summary>This policy with a room's overrides applied (a null override keeps the configured value).</summary>
    public FallbackPolicy With(FallbackPolicyOverrides? overrides) => overrides is null
        ? this
        : new FallbackPolicy(
            overrides.OnOffline ?? OnOffline,
            overrides.OnNoAnswer ?? OnNoAnswer,
            overrides.OnAppFailure ?? OnAppFailure,
            overrides.OnBusy ?? OnBusy,
            overrides.OnRefused ?? OnRefused);
}

/// <summary>A room's per-reason overrides of the configured <see cref="FallbackPolicy"/>; null means "as configured".</summary>
public sealed record FallbackPolicyOverrides(
    bool? OnOffline = null, bool? OnNoAnswer = null, bool? OnAppFailure = null, bool? OnBusy = null, bool? OnRefused = null);
