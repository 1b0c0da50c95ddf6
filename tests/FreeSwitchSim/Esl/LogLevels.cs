using System.Globalization;

namespace FreeSwitchSim.Esl;

/// <summary>switch_log.c: level names and switch_log_str2level.</summary>
internal static class LogLevels
{
    /// <summary>SWITCH_LOG_INVALID.</summary>
    public const int Invalid = 64;

    public const int Debug = 7;

    // LEVELS[] in switch_log.c; the index minus one is the level (DISABLE = -1).
    private static readonly string[] Levels = ["DISABLE", "CONSOLE", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG"];

    public static string Name(int level) => level is >= 0 and <= 7 ? Levels[level + 1] : "DEBUG";

    /// <summary>Numbers clamp to 0..63; names map case-insensitively; anything else is Invalid.</summary>
    public static int Parse(string s)
    {
        if (IsNumber(s))
        {
            var x = (long)double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            return x > Invalid ? Invalid - 1 : x < 0 ? 0 : (int)x;
        }
        for (var i = 0; i < Levels.Length; i++)
        {
            if (string.Equals(Levels[i], s, StringComparison.OrdinalIgnoreCase))
            {
                return i - 1;
            }
        }
        return Invalid;
    }

    // switch_is_number: optional leading sign, digits and at most one dot.
    private static bool IsNumber(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }
        var i = s[0] is '-' or '+' ? 1 : 0;
        if (i == s.Length)
        {
            return false;
        }
        var dots = 0;
        for (; i < s.Length; i++)
        {
            if (s[i] == '.' && ++dots == 1)
            {
                continue;
            }
            if (s[i] is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }
}
