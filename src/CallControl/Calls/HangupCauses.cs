namespace CallControl.Calls;

/// <summary>
/// FreeSWITCH hangup cause names (switch_channel.c's cause table), as they appear in <c>Hangup-Cause</c>,
/// <c>variable_originate_disposition</c> and a failed originate's <c>-ERR CAUSE</c>.
/// </summary>
public static class HangupCauses
{
    public const string NormalClearing = "NORMAL_CLEARING";
    public const string OriginatorCancel = "ORIGINATOR_CANCEL";
    public const string UserBusy = "USER_BUSY";
    public const string CallRejected = "CALL_REJECTED";
    public const string NoAnswer = "NO_ANSWER";
    public const string NoUserResponse = "NO_USER_RESPONSE";

    /// <summary>Another leg won the call (FreeSWITCH's cause for the losing legs of a ring group); used for an app leg that parks after the call went to the phone.</summary>
    public const string LoseRace = "LOSE_RACE";

    /// <summary>
    /// What the caller's leg ends with when the callee is offline and there is no fallback. Q.850 cause 20
    /// "subscriber absent" is the telephony meaning ("the user is not reachable right now"); mod_sofia's
    /// hangup_cause_to_sip sends it to a SIP caller as 480 Temporarily Unavailable. USER_NOT_REGISTERED is
    /// FreeSWITCH-internal (no Q.850 value) and would reach a SIP caller as a less specific response.
    /// </summary>
    public const string SubscriberAbsent = "SUBSCRIBER_ABSENT";

    public const string UnallocatedNumber = "UNALLOCATED_NUMBER";
    public const string InvalidNumberFormat = "INVALID_NUMBER_FORMAT";
    public const string RecoveryOnTimerExpire = "RECOVERY_ON_TIMER_EXPIRE";
    public const string NormalTemporaryFailure = "NORMAL_TEMPORARY_FAILURE";
    public const string GatewayDown = "GATEWAY_DOWN";

    /// <summary>The variable_originate_disposition of a bridge whose B leg answered.</summary>
    public const string Success = "SUCCESS";

    /// <summary>
    /// The final status a carrier outcome means, from the hangup cause (mod_sofia's sofia_glue_sip_cause_to_freeswitch
    /// turns the carrier's SIP final response into it) and, when known, <c>sip_term_status</c>, which wins because it
    /// is what the carrier really said (600 and 486 are both USER_BUSY; a 480 is NO_USER_RESPONSE).
    /// </summary>
    public static CallStatus CarrierOutcome(string? cause, int? sipStatus)
    {
        if (sipStatus is { } sip)
        {
            switch (sip)
            {
                case 486 or 600:
                    return CallStatus.Busy;
                case 603:
                    return CallStatus.Refused;
                case 480:
                    return CallStatus.NoAnswer;
                case 487:
                    return CallStatus.Canceled;
                case >= 400 and < 700:
                    // 404, 484, 408, 5xx and the rest: the carrier could not complete the call.
                    return CallStatus.Failed;
                default:
                    break;
            }
        }

        return cause switch
        {
            UserBusy => CallStatus.Busy,
            CallRejected => CallStatus.Refused,
            NoAnswer or NoUserResponse => CallStatus.NoAnswer,
            OriginatorCancel => CallStatus.Canceled,
            // UNALLOCATED_NUMBER (404), INVALID_NUMBER_FORMAT (484): a bad number. RECOVERY_ON_TIMER_EXPIRE (408/504),
            // NORMAL_TEMPORARY_FAILURE (400/500/503; also what an unreachable gateway gives, see the commands capture),
            // GATEWAY_DOWN, NETWORK_OUT_OF_ORDER (502) and anything unknown: the attempt failed.
            _ => CallStatus.Failed,
        };
    }

    /// <summary>The numeric <c>sip_term_status</c> (FreeSWITCH leaves it unset when no SIP final response was received).</summary>
    public static int? ParseSipStatus(string? sipTermStatus) =>
        int.TryParse(sipTermStatus, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            && code is >= 100 and < 700
            ? code
            : null;

    /// <summary>
    /// Whether a hangup disposition (<c>sip_hangup_disposition</c> / <c>verto_hangup_disposition</c>) says the far end
    /// ended the leg: <c>recv_bye</c>, <c>recv_cancel</c>, <c>recv_refuse</c>. The <c>send_*</c> values mean FreeSWITCH
    /// ended it (a uuid_kill, a failed bridge, an originate timeout). Null when the disposition is not known.
    /// </summary>
    public static bool? FarEndHungUp(string? disposition)
    {
        if (string.IsNullOrEmpty(disposition))
        {
            return null;
        }

        if (disposition.StartsWith("recv_", StringComparison.Ordinal))
        {
            return true;
        }

        return disposition.StartsWith("send_", StringComparison.Ordinal) ? false : null;
    }
}
