namespace CallControl.Calls.Dtmf;

/// <summary>Which of a call's legs is which party, as the call's machine state says.</summary>
public static class DtmfLegs
{
    /// <summary>
    /// The leg that plays digits to <paramref name="target"/>: the caller's verto leg, or for the callee the callee's
    /// verto leg when answered in the app and the carrier leg when answered via the phone network.
    /// </summary>
    public static string? LegFor(CallState state, DtmfTarget target)
    {
        ArgumentNullException.ThrowIfNull(state);
        return target switch
        {
            DtmfTarget.Caller => state.CallerLegUuid,
            _ when state.AnsweredVia == AnsweredVia.Pstn => state.Setup?.PstnLegUuid,
            _ => state.CalleeLegUuid,
        };
    }

    /// <summary>The role of <paramref name="legUuid"/> in the call (caller, callee, pstn), or null if it is none of them.</summary>
    public static string? RoleOf(CallState state, string legUuid)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Same(state.CallerLegUuid, legUuid) ? "caller"
            : Same(state.CalleeLegUuid, legUuid) ? "callee"
            : state.PstnDialed && Same(state.Setup?.PstnLegUuid, legUuid) ? "pstn"
            : null;
    }

    private static bool Same(string? a, string b) => a is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
