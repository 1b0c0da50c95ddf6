using System.Text;

namespace CallControl.Esl.Commands;

/// <summary>
/// One Event Socket command, validated when built and immutable afterwards: a command line, optional header lines,
/// optional body. mod_event_socket reads a command up to an empty line, so a CR or LF inside any argument or header
/// value would end the command early and let the rest run as a second command: such values are refused here, before
/// anything reaches the wire (NUL too, since FreeSWITCH handles these as C strings). A body is counted in bytes by
/// its <c>Content-Length</c> and may hold newlines.
/// </summary>
public sealed class EslCommand
{
    private readonly KeyValuePair<string, string>[] _headers;

    private EslCommand(string name, string line, KeyValuePair<string, string>[] headers, string? body)
    {
        Name = name;
        Line = line;
        _headers = headers;
        Body = body;
    }

    /// <summary>The command word (<c>api</c>, <c>bgapi</c>, <c>event</c>, <c>sendmsg</c>...), lower case.</summary>
    public string Name { get; }

    /// <summary>The whole first line, e.g. <c>api uuid_answer 781e…</c>.</summary>
    public string Line { get; }

    /// <summary>Header lines sent after the command line, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>The body (sent with a byte-counted <c>Content-Length</c>), or null.</summary>
    public string? Body { get; }

    /// <summary>
    /// Builds a command from its word and arguments, joined by single spaces. Throws <see cref="ArgumentException"/>
    /// when the word is empty or holds whitespace, or when any argument holds CR, LF or NUL.
    /// </summary>
    public static EslCommand Create(string name, params string?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ValidateWord(name, nameof(name));
        var line = new StringBuilder(name);
        foreach (var arg in args)
        {
            if (string.IsNullOrEmpty(arg))
            {
                continue;
            }

            ValidateValue(arg, nameof(args));
            line.Append(' ').Append(arg);
        }

        return new EslCommand(name.ToLowerInvariant(), line.ToString(), [], null);
    }

    /// <summary>A copy with one more header line. The name must be a non-empty token without ':' or whitespace;
    /// the value must not hold CR, LF or NUL.</summary>
    public EslCommand WithHeader(string name, string value)
    {
        ValidateWord(name, nameof(name));
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"ESL header name '{name}' must not contain ':'.", nameof(name));
        }

        ArgumentNullException.ThrowIfNull(value);
        ValidateValue(value, nameof(value));
        if (string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("Content-Length is computed from the body; set a body instead.", nameof(name));
        }

        return new EslCommand(Name, Line, [.. _headers, new(name, value)], Body);
    }

    /// <summary>A copy carrying a body (with a <c>Content-Type</c> header when given). The body may hold newlines,
    /// never NUL.</summary>
    public EslCommand WithBody(string body, string? contentType = "text/plain")
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("An ESL command body must not contain NUL.", nameof(body));
        }

        var withType = contentType is null ? this : WithHeader("Content-Type", contentType);
        return new EslCommand(Name, Line, withType._headers, body);
    }

    /// <summary>The bytes sent: the line, the headers, then either an empty line or
    /// <c>Content-Length</c>, an empty line and the body (as in the captured <c>sendevent</c> and <c>sendmsg</c>).</summary>
    public byte[] ToBytes()
    {
        var text = new StringBuilder(Line.Length + 2 + (_headers.Length * 32));
        text.Append(Line).Append('\n');
        foreach (var h in _headers)
        {
            text.Append(h.Key).Append(": ").Append(h.Value).Append('\n');
        }

        if (Body is null)
        {
            text.Append('\n');
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        var body = Encoding.UTF8.GetBytes(Body);
        text.Append("Content-Length: ").Append(body.Length).Append("\n\n");
        var head = Encoding.UTF8.GetBytes(text.ToString());
        var all = new byte[head.Length + body.Length];
        head.CopyTo(all, 0);
        body.CopyTo(all, head.Length);
        return all;
    }

    /// <summary>The command line (for logs; the body is left out).</summary>
    public override string ToString() => Line;

    internal static void ValidateValue(string value, string paramName)
    {
        var bad = value.AsSpan().IndexOfAny('\r', '\n', '\0');
        if (bad >= 0)
        {
            var what = value[bad] switch { '\r' => "CR", '\n' => "LF", _ => "NUL" };
            throw new ArgumentException(
                $"ESL command values must not contain CR, LF or NUL ({what} found at position {bad}): it would end the command and start another.",
                paramName);
        }
    }

    internal static void ValidateWord(string word, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(word, paramName);
        foreach (var c in word)
        {
            if (char.IsWhiteSpace(c) || c == '\0' || char.IsControl(c))
            {
                throw new ArgumentException($"'{word}' must be one word without whitespace or control characters.", paramName);
            }
        }
    }
}
