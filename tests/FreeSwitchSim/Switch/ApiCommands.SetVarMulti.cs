using System.Text;

namespace FreeSwitchSim.Switch;

internal sealed partial class ApiCommands
{
    private const string SetVarMultiUsage = "-USAGE: <uuid> <var>=<value>;<var>=<value>...\n";

    /// <summary>
    /// mod_commands' uuid_setvar_multi: <c>&lt;uuid&gt; &lt;var&gt;=&lt;value&gt;;&lt;var&gt;=&lt;value&gt;...</c>. The list after the
    /// first space is split like switch_separate_string (';', at most 64 parts, quotes and backslash escapes). Each part
    /// without a name writes <c>-ERR No variable specified</c>; a part without '=' unsets that variable. When at least one
    /// variable was set the reply ends with <c>+OK</c>, else with the usage line (after <c>-ERR No such channel!</c> for
    /// an unknown UUID).
    /// </summary>
    private string UuidSetVarMulti(string? args)
    {
        var space = args?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (args is null || space < 0)
        {
            return SetVarMultiUsage;
        }
        if (_engine.Find(args[..space]) is not { } c)
        {
            return NoSuchChannel + SetVarMultiUsage;
        }
        var reply = new StringBuilder();
        var set = 0;
        foreach (var part in SeparateString(args[(space + 1)..], ';', 64))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            if (name.Length == 0)
            {
                reply.Append("-ERR No variable specified\n");
                continue;
            }
            c.Vars.Set(name, equals < 0 ? null : part[(equals + 1)..]);
            set++;
        }
        return reply.Append(set > 0 ? "+OK\n" : SetVarMultiUsage).ToString();
    }

    /// <summary>switch_separate_string with a delimiter other than a space: "^^&lt;d&gt;" at the start picks another
    /// delimiter; a backslash keeps the next character; a delimiter between single quotes (with a closing quote ahead)
    /// does not split. Each part is then cleaned: leading spaces skipped, quotes removed, escapes resolved, trailing
    /// spaces outside quotes dropped.</summary>
    internal static IReadOnlyList<string> SeparateString(string buffer, char delimiter, int max)
    {
        if (buffer.StartsWith("^^", StringComparison.Ordinal) && buffer.Length > 3)
        {
            delimiter = buffer[2];
            buffer = buffer[3..];
        }
        // separate_string_char_delim: a part starts, then runs to the next free delimiter. Once the last allowed part
        // has started the scan stops, so that part keeps the rest of the line, delimiters and all.
        var bounds = new List<(int Start, int End)>();
        var inQuotes = false;
        var inPart = false;
        for (var i = 0; i < buffer.Length && (inPart || bounds.Count < max);)
        {
            if (!inPart)
            {
                bounds.Add((i, buffer.Length));
                inPart = true;
                if (bounds.Count == max)
                {
                    break;
                }
                continue;
            }
            var ch = buffer[i];
            if (ch == '\\')
            {
                i++;
            }
            else if (ch == '\'' && (inQuotes || buffer.IndexOf('\'', i + 1) >= 0))
            {
                inQuotes = !inQuotes;
            }
            else if (ch == delimiter && !inQuotes)
            {
                bounds[^1] = (bounds[^1].Start, i);
                inPart = false;
            }
            i++;
        }
        return [.. bounds.Select(b => CleanUp(buffer[b.Start..b.End], delimiter))];
    }

    /// <summary>cleanup_separated_string: one part with its quotes and escapes resolved.</summary>
    private static string CleanUp(string part, char delimiter)
    {
        var p = 0;
        while (p < part.Length && part[p] == ' ')
        {
            p++;
        }
        var dest = new StringBuilder();
        var end = -1;
        var inQuotes = false;
        for (; p < part.Length; p++)
        {
            var ch = part[p];
            if (ch == '\\' && p + 1 < part.Length)
            {
                var next = part[p + 1];
                var unescaped = next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 's' => ' ', _ => next };
                if (next is '\'' or '"' or '\\' || next == delimiter || unescaped != next)
                {
                    p++;
                    dest.Append(unescaped);
                    end = dest.Length;
                    continue;
                }
            }
            if (ch == '\'' && (inQuotes || part.IndexOf('\'', p + 1) >= 0))
            {
                inQuotes = !inQuotes;
                if (inQuotes)
                {
                    end = dest.Length;
                }
            }
            else
            {
                dest.Append(ch);
                if (ch != ' ' || inQuotes)
                {
                    end = dest.Length;
                }
            }
        }
        return end >= 0 ? dest.ToString(0, end) : dest.ToString();
    }
}
