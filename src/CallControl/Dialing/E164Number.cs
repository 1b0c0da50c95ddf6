using System.Diagnostics.CodeAnalysis;

namespace CallControl.Dialing;

/// <summary>
/// A phone number in E.164: <c>+</c>, then 8 to 15 ASCII digits, the first 1-9. Nothing else is accepted: no
/// spaces or separators, no other digit scripts (fullwidth, Arabic-Indic), no percent-encoding. A value of this
/// type is safe to put in a dial string.
/// </summary>
public sealed record E164Number
{
    private E164Number(string value) => Value = value;

    /// <summary>The number, e.g. <c>+15551230001</c>.</summary>
    public string Value { get; }

    /// <summary>Parses strictly; false for anything that is not exactly E.164.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out E164Number? number)
    {
        number = null;
        // '+' plus 8..15 digits; E.164 allows at most 15 digits in all.
        if (text is null || text.Length is < 9 or > 16 || text[0] != '+' || text[1] is < '1' or > '9')
        {
            return false;
        }

        for (var i = 2; i < text.Length; i++)
        {
            // char.IsAsciiDigit, not char.IsDigit: IsDigit says yes to '１' and '٥'.
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        number = new E164Number(text);
        return true;
    }

    /// <summary>Whether the number starts with <paramref name="prefix"/> (e.g. <c>+1900</c>).</summary>
    public bool HasPrefix(string prefix) => Value.StartsWith(prefix, StringComparison.Ordinal);

    public override string ToString() => Value;
}
