using Microsoft.Extensions.Options;

namespace CallControl.Dialing;

/// <summary>
/// The toll-fraud policy for carrier calls (direct and fallback): E.164 only, allowed and blocked prefixes, per-user
/// limits on live carrier calls and on carrier calls per 24 hours. <see cref="Evaluate"/> is pure: the caller reads the
/// user's counts since <see cref="UsageSince"/> (a new room reads them with its parties, <c>UserStore.GetRoomPartiesAsync</c>).
/// </summary>
public sealed class DialingPolicy(IOptions<DialingOptions> options, TimeProvider timeProvider)
{
    /// <summary>The window of <see cref="DialingOptions.MaxPstnCallsPerDay"/>: a rolling day.</summary>
    public static readonly TimeSpan DailyWindow = TimeSpan.FromDays(1);

    private readonly DialingOptions _options = options?.Value ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Checks the number alone (format, switch, prefixes): no counts needed, so nothing is queried for a bad number.</summary>
    public DialDecision EvaluateNumber(string? number)
    {
        if (!_options.Enabled)
        {
            return DialDecision.Refuse(DialRefusalReasons.Policy, "Calls to phone numbers are disabled.");
        }

        if (!E164Number.TryParse(number, out var e164))
        {
            return DialDecision.Refuse(
                DialRefusalReasons.InvalidNumber,
                "The number must be E.164: '+' and 8 to 15 ASCII digits, the first not 0, nothing else.");
        }

        if (_options.EffectiveBlockedPrefixes.Any(e164.HasPrefix))
        {
            return DialDecision.Refuse(DialRefusalReasons.BlockedPrefix, "Numbers in this range cannot be called.");
        }

        if (_options.AllowedPrefixes is { Length: > 0 } allowed && !allowed.Any(e164.HasPrefix))
        {
            return DialDecision.Refuse(DialRefusalReasons.NotAllowedPrefix, "Numbers in this country or range cannot be called.");
        }

        return DialDecision.Allow(e164);
    }

    /// <summary>The whole decision from the number and the user's current usage. Pure.</summary>
    public DialDecision Evaluate(string? number, PstnUsage usage)
    {
        var decision = EvaluateNumber(number);
        if (!decision.Allowed)
        {
            return decision;
        }

        if (usage.Live >= _options.MaxConcurrentPstnCalls)
        {
            return DialDecision.Refuse(
                DialRefusalReasons.ConcurrencyLimit,
                $"At most {_options.MaxConcurrentPstnCalls} phone calls at a time.");
        }

        if (usage.InWindow >= _options.MaxPstnCallsPerDay)
        {
            return DialDecision.Refuse(
                DialRefusalReasons.DailyLimit,
                $"At most {_options.MaxPstnCallsPerDay} phone calls per day.");
        }

        return decision;
    }

    /// <summary>Where the usage that <see cref="Evaluate"/> counts against the daily limit starts: a day ago.</summary>
    public DateTime UsageSince() => timeProvider.GetUtcNow().UtcDateTime - DailyWindow;
}
