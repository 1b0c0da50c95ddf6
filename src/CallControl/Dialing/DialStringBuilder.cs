using Microsoft.Extensions.Options;

namespace CallControl.Dialing;

/// <summary>What a carrier leg is: who it is for and where it goes. Every field is validated before use.</summary>
public sealed record CarrierLeg
{
    /// <summary>The new leg's Unique-ID (<c>origination_uuid</c>): we choose it, so its events are ours from the first.</summary>
    public required Guid OriginationUuid { get; init; }
    public required Guid CallId { get; init; }
    /// <summary>The room id: ASCII letters, digits, <c>-</c> and <c>_</c> only.</summary>
    public required string RoomId { get; init; }
    public required E164Number Number { get; init; }
    /// <summary>A configured gateway; null means <see cref="DialingOptions.Gateway"/>.</summary>
    public string? Gateway { get; init; }
    /// <summary>More channel variables (e.g. <c>origination_caller_id_number</c>); names and values are validated.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variables { get; init; } = [];
}

/// <summary>
/// The only code that builds dial strings:
/// <c>{origination_uuid=&lt;uuid&gt;,x_call_id=&lt;id&gt;,x_room_id=&lt;id&gt;,...}sofia/gateway/&lt;gateway&gt;/&lt;e164&gt;</c>.
/// FreeSWITCH splits a dial string on <c>,</c> <c>|</c> <c>:</c> <c>^</c>, reads <c>{}</c> <c>[]</c> <c>&lt;&gt;</c> as variable blocks,
/// <c>&amp;</c> as an application, <c>/</c> and <c>@</c> as endpoint syntax, and a CR/LF ends an ESL command: so a value
/// is checked against a small safe charset and rejected otherwise, never escaped.
/// </summary>
public sealed class DialStringBuilder(IOptions<DialingOptions> options)
{
    private const int MaxValueLength = 128;
    private readonly DialingOptions _options = options?.Value ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The dial string for <paramref name="leg"/>; throws <see cref="DialStringException"/> for any unsafe part.</summary>
    public string Build(CarrierLeg leg)
    {
        ArgumentNullException.ThrowIfNull(leg);
        var gateway = leg.Gateway ?? _options.Gateway;
        if (!IsSafeToken(gateway, MaxValueLength) || !_options.AllGateways.Contains(gateway, StringComparer.Ordinal))
        {
            throw new DialStringException("gateway", "The gateway is not a configured gateway.");
        }

        RequireSafeValue("roomId", leg.RoomId);
        // E164Number can only hold '+' and ASCII digits; recheck anyway, since this is the last line of defence.
        if (!E164Number.TryParse(leg.Number?.Value, out var number))
        {
            throw new DialStringException("number", "The number is not E.164.");
        }

        var variables = new List<string>
        {
            "origination_uuid=" + leg.OriginationUuid.ToString("D"),
            "x_call_id=" + leg.CallId.ToString("D"),
            "x_room_id=" + leg.RoomId,
        };
        foreach (var (name, value) in leg.Variables)
        {
            if (!IsVariableName(name))
            {
                throw new DialStringException("variables", "A channel variable name must be lowercase letters, digits and '_'.");
            }

            RequireSafeValue(name, value);
            variables.Add(name + "=" + value);
        }

        return "{" + string.Join(',', variables) + "}sofia/gateway/" + gateway + "/" + number.Value;
    }

    /// <summary>Whether <paramref name="value"/> may stand in a dial string: ASCII letters, digits, <c>. _ - + * #</c>; 1..128 long.</summary>
    public static bool IsSafeValue(string? value) => IsSafeToken(value, MaxValueLength, extra: "+*#");

    private static void RequireSafeValue(string field, string? value)
    {
        if (!IsSafeValue(value))
        {
            throw new DialStringException(field, "The value may contain only ASCII letters, digits and . _ - + * #.");
        }
    }

    private static bool IsVariableName(string? name) =>
        name is { Length: > 0 and <= 64 } && char.IsAsciiLetterLower(name[0]) &&
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static bool IsSafeToken(string? value, int maxLength, string extra = "") =>
        value is { Length: > 0 } && value.Length <= maxLength &&
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' || extra.Contains(c, StringComparison.Ordinal));
}

/// <summary>A dial string part failed validation; <see cref="Field"/> names it (for Problem Details).</summary>
public sealed class DialStringException : ArgumentException
{
    public DialStringException() { }

    public DialStringException(string message) : base(message) { }

    public DialStringException(string message, Exception innerException) : base(message, innerException) { }

    public DialStringException(string field, string message) : base(message, field) => Field = field;

    /// <summary>The offending field.</summary>
    public string? Field { get; }
}
