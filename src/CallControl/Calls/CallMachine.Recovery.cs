namespace CallControl.Calls;

/// <summary>
/// The call's legs vanished with their node (FreeSWITCH restarted: every channel it had is gone, and no event said how
/// each ended). Reconcile feeds this after it found none of the call's legs on the restarted node.
/// </summary>
public sealed record LegsLost(DateTimeOffset At, string Reason) : CallInput(At);

// Recovery inputs: what reconcile learns when events were missed.
public static partial class CallMachine
{
    /// <summary>FreeSWITCH's cause for channels ended by its own shutdown.</summary>
    public const string SystemShutdown = "SYSTEM_SHUTDOWN";

    /// <summary>A call whose legs are gone with their node fails; nothing is left to hang up.</summary>
    private static void OnLegsLost(CallStep step, string reason)
    {
        if (step.State.IsFinal)
        {
            return;
        }

        step.State = step.State with { CallerLegEnded = true, CalleeLegEnded = true, PstnLegEnded = true };
        End(step, CallStatus.Failed, reason, SystemShutdown, CallParty.Network);
    }
}
