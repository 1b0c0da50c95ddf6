using System.Buffers;
using System.Text;

namespace FreeSwitchSim.Esl;

/// <summary>
/// Frames client commands the way read_packet (mod_event_socket.c) does: leading CR/LF are skipped, the header
/// block ends at the second consecutive LF (CRs ignored), a Content-Length header (any case) is followed by
/// exactly that many BODY BYTES. Bytes are framed first and decoded as UTF-8 afterwards.
/// </summary>
internal static class CommandParser
{
    /// <summary>read_packet's max_len for a header block.</summary>
    public const int MaxHeaderBytes = 10 * 1024 * 1024;

    /// <summary>MAX_CONTENT_LENGTH of later mod_event_socket versions; larger bodies end the connection.</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Tries to take one command from the front of <paramref name="buffer"/>. On success the buffer is sliced past
    /// it. Returns false when more bytes are needed (buffer untouched except skipped blank lines).
    /// </summary>
    /// <exception cref="InvalidDataException">A frame FreeSWITCH would drop the connection for.</exception>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, out EslCommand? command)
    {
        command = null;
        var reader = new SequenceReader<byte>(buffer);
        // "bah": a buffer starting with CR or LF is reset, so stray blank lines between commands vanish.
        while (reader.TryPeek(out var first) && (first == (byte)'\r' || first == (byte)'\n'))
        {
            reader.Advance(1);
        }
        buffer = buffer.Slice(reader.Position);
        if (!FindHeaderEnd(buffer, out var headerLength))
        {
            if (buffer.Length >= MaxHeaderBytes)
            {
                throw new InvalidDataException("Command header block too large.");
            }
            return false;
        }

        var text = Encoding.UTF8.GetString(buffer.Slice(0, headerLength));
        var lines = text.Split('\n');
        var line = StripCr(lines[0]);
        var headers = new List<KeyValuePair<string, string>>();
        var bodyLength = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            var var = StripCr(lines[i]);
            var colon = var.IndexOf(':', StringComparison.Ordinal);
            if (var.Length == 0 || colon < 0)
            {
                continue;
            }
            var name = var[..colon];
            var value = var[(colon + 1)..].TrimStart(' ');
            headers.Add(new(name, value));
            if (bodyLength == 0 && string.Equals(name, "content-length", StringComparison.OrdinalIgnoreCase))
            {
                bodyLength = Atoi(value);
                if (bodyLength is < 0 or > MaxBodyBytes)
                {
                    throw new InvalidDataException("Content-Length out of range.");
                }
            }
        }

        if (buffer.Length < headerLength + bodyLength)
        {
            return false;
        }
        string? body = bodyLength > 0 ? Encoding.UTF8.GetString(buffer.Slice(headerLength, bodyLength)) : null;
        buffer = buffer.Slice(headerLength + bodyLength);
        command = new EslCommand(line, headers, body);
        return true;
    }

    // crcount: consecutive LFs with CRs in between not counted and anything else resetting it.
    private static bool FindHeaderEnd(ReadOnlySequence<byte> buffer, out long length)
    {
        var crcount = 0;
        long pos = 0;
        foreach (var segment in buffer)
        {
            foreach (var b in segment.Span)
            {
                pos++;
                if (b == (byte)'\n')
                {
                    if (++crcount == 2)
                    {
                        length = pos;
                        return true;
                    }
                }
                else if (b != (byte)'\r')
                {
                    crcount = 0;
                }
            }
        }
        length = 0;
        return false;
    }

    // strip_cr: the line ends at the first CR or LF.
    private static string StripCr(string s)
    {
        var i = s.IndexOfAny(['\r', '\n']);
        return i < 0 ? s : s[..i];
    }

    /// <summary>C atoi: optional leading spaces and sign, then digits; anything else stops it; no digits = 0.</summary>
    public static int Atoi(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }
        var sign = 1;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            sign = s[i] == '-' ? -1 : 1;
            i++;
        }
        long n = 0;
        while (i < s.Length && s[i] is >= '0' and <= '9' && n < int.MaxValue)
        {
            n = (n * 10) + (s[i] - '0');
            i++;
        }
        return (int)Math.Clamp(sign * n, int.MinValue, int.MaxValue);
    }
}
