namespace CallControl.Calls.Dtmf;

/// <summary>
/// Checks a DTMF request before anything reaches FreeSWITCH. Digits are the sixteen DTMF symbols
/// (<c>0-9 * # A-D</c>) and <c>w</c>/<c>W</c>, which FreeSWITCH's DTMF string parser takes as pauses
/// (500 ms and 1 s); nothing else, so the digits can never carry a space, an <c>@</c> or a line break into
/// <c>uuid_send_dtmf</c>'s argument.
/// </summary>
public static class DtmfValidation
{
    public const int MaxDigits = 64;
    public const int MinDurationMs = 40;
    public const int MaxDurationMs = 2000;
    public const int DefaultDurationMs = 200;

    /// <summary>The validated request, or the offending field and why.</summary>
    public static (DtmfSend? Send, string? Field, string? Detail) Validate(DtmfRequest? request)
    {
        if (request is null)
        {
            return (null, "body", "A JSON body {digits, durationMs, leg} is required.");
        }

        var digits = request.Digits;
        if (string.IsNullOrEmpty(digits) || digits.Length > MaxDigits)
        {
            return (null, "digits", $"Give 1 to {MaxDigits} digits.");
        }

        if (!digits.All(IsDtmfSymbol))
        {
            return (null, "digits", "Digits are 0-9, *, #, A-D, and w or W for a pause.");
        }

        var duration = request.DurationMs ?? DefaultDurationMs;
        if (duration is < MinDurationMs or > MaxDurationMs)
        {
            return (null, "durationMs", $"The duration is {MinDurationMs} to {MaxDurationMs} ms.");
        }

        DtmfTarget? target = request.Leg switch
        {
            "caller" => DtmfTarget.Caller,
            "callee" => DtmfTarget.Callee,
            _ => null,
        };
        if (target is null)
        {
            return (null, "leg", "The leg is 'caller' or 'callee'.");
        }

        return (new DtmfSend(digits, duration, target.Value), null, null);
    }

    /// <summary>A DTMF symbol or a pause; ASCII only (char.IsDigit would accept other scripts' digits).</summary>
    public static bool IsDtmfSymbol(char c) =>
        c is (>= '0' and <= '9') or '*' or '#' or (>= 'A' and <= 'D') or 'w' or 'W';
}
