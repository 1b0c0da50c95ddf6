namespace FreeSwitchSim.Esl;

/// <summary>
/// One command as mod_event_socket's read_packet builds it: the first line is the command, the following
/// "Name: value" lines are headers (raw, not URL-decoded), and a Content-Length header pulls that many bytes of
/// body from the socket after the blank line.
/// </summary>
internal sealed class EslCommand
{
    public EslCommand(string line, IReadOnlyList<KeyValuePair<string, string>> headers, string? body)
    {
        Line = line;
        Headers = headers;
        Body = body;
    }

    /// <summary>The command line without its line end, e.g. "api status".</summary>
    public string Line { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public string? Body { get; }

    /// <summary>First header of that name, compared case-insensitively as switch_event_get_header does.</summary>
    public string? Header(string name)
    {
        foreach (var h in Headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }
        return null;
    }

    /// <summary>strncasecmp(cmd, prefix, strlen(prefix)) == 0, as parse_command matches every command.</summary>
    public bool Is(string prefix) => Line.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
