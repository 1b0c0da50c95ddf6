namespace CallControl.Calls;

/// <summary>The reasons written with each state transition (<c>call_state_history.reason</c>).</summary>
public static class CallReasons
{
    public const string Created = "created";
    public const string NoCallee = "no_callee";
    public const string CalleeOffline = "callee_offline";
    public const string RingTimeout = "ring_timeout";
    public const string AppFailure = "app_failure";
    public const string CalleeBusy = "callee_busy";
    public const string CalleeRefused = "callee_refused";
    public const string Bridged = "bridged";
    public const string PstnAnswered = "pstn_answered";
    public const string CallerCanceled = "caller_canceled";
    public const string CallerHungUp = "caller_hung_up";
    public const string CalleeHungUp = "callee_hung_up";
    public const string NetworkHungUp = "network_hung_up";
    public const string CallerLegFailed = "caller_leg_failed";
    public const string CallerLegMissing = "caller_leg_missing";
    public const string CarrierBusy = "carrier_busy";
    public const string CarrierRefused = "carrier_refused";
    public const string CarrierNoAnswer = "carrier_no_answer";
    public const string CarrierFailed = "carrier_failed";
    public const string NodeRestarted = "node_restarted";

    /// <summary>The transition reason for a callee the app could not reach (with or without fallback).</summary>
    public static string For(FallbackReason reason) => reason switch
    {
        FallbackReason.Offline => CalleeOffline,
        FallbackReason.NoAnswer => RingTimeout,
        FallbackReason.AppFailure => AppFailure,
        FallbackReason.Busy => CalleeBusy,
        FallbackReason.Refused => CalleeRefused,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown fallback reason"),
    };
}
