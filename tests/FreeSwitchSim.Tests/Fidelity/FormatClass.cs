using System.Text.RegularExpressions;

namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>The format of a header value, without the value: what a parser of that header relies on.</summary>
internal static partial class FormatClass
{
    public static string Of(string value) => value switch
    {
        "" => "empty",
        "_undef_" => "undef",
        "true" or "false" => "bool",
        _ when Uuid().IsMatch(value) => "uuid",
        // switch_time_t: microseconds since the epoch, 16 digits today.
        _ when Micros().IsMatch(value) => "usec",
        _ when Integer().IsMatch(value) => "int",
        _ when Decimal().IsMatch(value) => "decimal",
        // Event-Date-Local: "%Y-%m-%d %T".
        _ when DateLocal().IsMatch(value) => "date-local",
        // Event-Date-GMT: RFC 1123, "Thu, 26 Nov 2026 15:42:01 GMT".
        _ when DateGmt().IsMatch(value) => "date-gmt",
        _ when value.StartsWith("CS_", StringComparison.Ordinal) && Enum().IsMatch(value) => "cs-enum",
        _ when Enum().IsMatch(value) => "enum",
        _ when value.StartsWith("ARRAY::", StringComparison.Ordinal) => "array",
        _ when IPv4().IsMatch(value) => "ipv4",
        _ => "text",
    };

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex("^[0-9]{16}$")]
    private static partial Regex Micros();

    [GeneratedRegex("^-?[0-9]{1,15}$")]
    private static partial Regex Integer();

    [GeneratedRegex("^-?[0-9]+\\.[0-9]+$")]
    private static partial Regex Decimal();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")]
    private static partial Regex DateLocal();

    [GeneratedRegex("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$")]
    private static partial Regex DateGmt();

    [GeneratedRegex("^[A-Z][A-Z0-9_]+$")]
    private static partial Regex Enum();

    [GeneratedRegex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$")]
    private static partial Regex IPv4();
}
