using CallControl.Calls;

namespace CallControl.Tests.Calls;

/// <summary>
/// Carrier outcomes as FreeSWITCH reports them: the Hangup-Cause mod_sofia derives from the SIP final response
/// (sofia_glue_sip_cause_to_freeswitch), and sip_term_status when the response is known.
/// </summary>
public sealed class HangupCausesTests
{
    public static TheoryData<string, int?, CallStatus> CarrierRows() => new()
    {
        { "USER_BUSY", 486, CallStatus.Busy },               // fallback-busy and originate captures
        { "USER_BUSY", 600, CallStatus.Busy },               // 600 Busy Everywhere maps to USER_BUSY too
        { "USER_BUSY", null, CallStatus.Busy },              // the bridge app's originate_disposition
        { "CALL_REJECTED", 603, CallStatus.Refused },
        { "CALL_REJECTED", null, CallStatus.Refused },
        { "CALL_REJECTED", 403, CallStatus.Failed },         // 403 is the carrier refusing us, not the callee declining
        { "NO_ANSWER", null, CallStatus.NoAnswer },          // fallback-noanswer capture: originate timeout
        { "NO_USER_RESPONSE", 480, CallStatus.NoAnswer },
        { "NO_USER_RESPONSE", null, CallStatus.NoAnswer },
        { "UNALLOCATED_NUMBER", 404, CallStatus.Failed },
        { "INVALID_NUMBER_FORMAT", 484, CallStatus.Failed },
        { "RECOVERY_ON_TIMER_EXPIRE", 408, CallStatus.Failed },
        { "RECOVERY_ON_TIMER_EXPIRE", 504, CallStatus.Failed },
        { "NORMAL_TEMPORARY_FAILURE", 503, CallStatus.Failed },
        { "NORMAL_TEMPORARY_FAILURE", null, CallStatus.Failed }, // commands capture: gateway with nothing listening
        { "NETWORK_OUT_OF_ORDER", 502, CallStatus.Failed },
        { "GATEWAY_DOWN", null, CallStatus.Failed },
        { "ORIGINATOR_CANCEL", 487, CallStatus.Canceled },   // caller-cancel capture
        { "ORIGINATOR_CANCEL", null, CallStatus.Canceled },
        { "SOMETHING_NEW", null, CallStatus.Failed },
    };

    [Theory]
    [MemberData(nameof(CarrierRows))]
    public void CarrierOutcome_maps_cause_and_sip_status_to_final_status(string cause, int? sip, CallStatus expected) =>
        Assert.Equal(expected, HangupCauses.CarrierOutcome(cause, sip));

    [Theory]
    [InlineData("486", 486)]
    [InlineData("603", 603)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("-", null)]
    [InlineData("48x", null)]
    [InlineData("99", null)]
    [InlineData(" 486", null)]
    public void ParseSipStatus_accepts_only_sip_response_codes(string? value, int? expected) =>
        Assert.Equal(expected, HangupCauses.ParseSipStatus(value));

    [Theory]
    [InlineData("recv_bye", true)]
    [InlineData("recv_cancel", true)]
    [InlineData("recv_refuse", true)]
    [InlineData("send_bye", false)]
    [InlineData("send_refuse", false)]
    [InlineData("send_cancel", false)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("unknown", null)]
    public void FarEndHungUp_reads_the_hangup_disposition(string? disposition, bool? expected) =>
        Assert.Equal(expected, HangupCauses.FarEndHungUp(disposition));
}
