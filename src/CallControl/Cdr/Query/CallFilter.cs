using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CallControl.Data;
using Microsoft.Extensions.Primitives;

namespace CallControl.Cdr.Query;

/// <summary>
/// The admin call filters, parsed from a query string. Every value reaches SQL as a parameter; the WHERE clause is
/// assembled from a fixed set of clauses (<see cref="CallQuery"/>), never from user text.
/// </summary>
public sealed partial record CallFilter
{
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public string? AnsweredVia { get; init; }

    /// <summary>Fallback used: a carrier leg was dialed for a reason (<c>pstn_dialed_at</c> and <c>fallback_reason</c> set).</summary>
    public bool? Fallback { get; init; }
    public string? Caller { get; init; }
    public string? Callee { get; init; }

    /// <summary>A prefix of the E.164 callee number (<c>+</c> and digits only, so it holds no LIKE wildcard).</summary>
    public string? CalleeNumber { get; init; }
    public string? Room { get; init; }
    public string? Node { get; init; }
    public string? HangupCause { get; init; }
    public int? MinDuration { get; init; }
    public bool Ascending { get; init; }

    private const int MaxIdentifierLength = 200;

    private static readonly string[] AllStatuses =
    [
        CallStatuses.Ringing, CallStatuses.FallbackDialing, CallStatuses.Answered, .. CallStatuses.Final,
    ];

    private const int MaxTextLength = 256;

    /// <summary>Parses the filters; <paramref name="errors"/> names each bad parameter.</summary>
    public static CallFilter Parse(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        var statuses = query["status"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (var s in statuses.Where(s => !AllStatuses.Contains(s)))
        {
            errors["status"] = [$"Unknown status '{s}'; one of {string.Join(", ", AllStatuses)}."];
        }

        var filter = new CallFilter
        {
            From = Instant(query, "from", errors),
            To = Instant(query, "to", errors),
            Statuses = statuses,
            AnsweredVia = OneOf(query, "answeredVia", ["app", "pstn"], errors),
            Fallback = OneOf(query, "fallback", ["true", "false"], errors) is { } f ? f == "true" : null,
            Caller = Identifier(query, "caller", errors),
            Callee = Identifier(query, "callee", errors),
            CalleeNumber = Text(query, "calleeNumber"),
            Room = Identifier(query, "room", errors),
            Node = Identifier(query, "node", errors),
            HangupCause = Text(query, "hangupCause"),
            MinDuration = Integer(query, "minDuration", 0, int.MaxValue, errors),
            Ascending = OneOf(query, "sort", ["asc", "desc"], errors) == "asc",
        };
        if (filter.CalleeNumber is { } n && !NumberPrefix().IsMatch(n))
        {
            errors["calleeNumber"] = ["A prefix of an E.164 number: '+' and up to 15 digits."];
        }

        if (filter.HangupCause is { } cause && !HangupCauseName().IsMatch(cause))
        {
            errors["hangupCause"] = ["A FreeSWITCH hangup cause name, e.g. USER_BUSY: capitals, digits and '_'."];
        }

        // Free text is bound as a parameter, never spliced; but PostgreSQL refuses a NUL in text (a 500), and no id,
        // node or cause has control characters or runs to kilobytes.
        foreach (var (name, value) in new[] { ("caller", filter.Caller), ("callee", filter.Callee), ("room", filter.Room), ("node", filter.Node), ("hangupCause", filter.HangupCause) })
        {
            if (value is not null && (value.Length > MaxTextLength || value.Any(char.IsControl)))
            {
                errors[name] = [$"At most {MaxTextLength} characters, none of them control characters."];
            }
        }

        if (filter.From is { } from && filter.To is { } to && from > to)
        {
            errors["from"] = ["'from' is after 'to'."];
        }

        return filter;
    }

    /// <summary>A hash of the filters and sort, carried in a cursor so it only continues the query it came from.</summary>
    public byte[] Fingerprint()
    {
        var canonical = string.Join('\u001f',
            Stamp(From), Stamp(To), string.Join(',', Statuses), AnsweredVia, Fallback?.ToString(), Caller, Callee,
            CalleeNumber, Room, Node, HangupCause, MinDuration?.ToString(CultureInfo.InvariantCulture), Ascending.ToString());
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical))[..8];
    }

    private static string? Stamp(DateTime? t) => t?.Ticks.ToString(CultureInfo.InvariantCulture);

    internal static string? Text(IQueryCollection query, string name) =>
        query[name] is { Count: > 0 } v && !string.IsNullOrWhiteSpace(v[0]) ? v[0]!.Trim() : null;

    /// <summary>A user, room or node id: free text that only ever reaches SQL as a parameter, of bounded length.</summary>
    internal static string? Identifier(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        var text = Text(query, name);
        if (text is { Length: > MaxIdentifierLength })
        {
            errors[name] = [$"'{name}' is longer than {MaxIdentifierLength} characters."];
            return null;
        }

        return text;
    }

    internal static DateTime? Instant(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }

        // An instant needs its offset: "2026-11-26T10:00:00Z" or "+01:00"; a local time would be ambiguous.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && (text.EndsWith('Z') || text.EndsWith('z') || OffsetSuffix().IsMatch(text)))
        {
            return at.UtcDateTime;
        }

        errors[name] = [$"'{name}' must be an ISO 8601 instant with an offset, e.g. 2026-11-26T10:00:00Z."];
        return null;
    }

    internal static string? OneOf(IQueryCollection query, string name, string[] allowed, Dictionary<string, string[]> errors)
    {
        var text = Text(query, name);
        if (text is null || allowed.Contains(text))
        {
            return text;
        }

        errors[name] = [$"'{name}' must be one of {string.Join(", ", allowed)}."];
        return null;
    }

    internal static int? Integer(IQueryCollection query, string name, int min, int max, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"'{name}' must be an integer from {min} to {max}."];
        return null;
    }

    [GeneratedRegex(@"^[A-Z][A-Z0-9_]{0,63}$")]
    private static partial Regex HangupCauseName();

    [GeneratedRegex(@"^\+?[0-9]{1,15}$")]
    private static partial Regex NumberPrefix();

    [GeneratedRegex(@"[+-][0-9]{2}:?[0-9]{2}$")]
    private static partial Regex OffsetSuffix();
}
