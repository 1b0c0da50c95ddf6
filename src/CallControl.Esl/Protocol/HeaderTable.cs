using System.Buffers;
using System.Text;

namespace CallControl.Esl.Protocol;

/// <summary>
/// An index over <c>Name: value</c> lines held in a byte buffer: four ints per line (name start and length,
/// value start and length), kept in a pooled array. Nothing is decoded until asked for, so a consumer that reads
/// three headers of a 4 KiB event pays for three strings, not two hundred.
/// Header names are compared ASCII case-insensitively (FreeSWITCH sends both <c>Unique-ID</c> and <c>unique-id</c>);
/// every line is kept, repeats included.
/// </summary>
internal sealed class HeaderTable
{
    private const int Stride = 4;
    private byte[] _buffer;
    private int[] _entries;

    private HeaderTable(byte[] buffer, int[] entries, int count, bool percentEncoded)
    {
        _buffer = buffer;
        _entries = entries;
        Count = count;
        PercentEncoded = percentEncoded;
    }

    public int Count { get; }

    public bool PercentEncoded { get; }

    /// <summary>Number of malformed percent sequences and invalid UTF-8 values met while decoding so far.</summary>
    public int DecodeProblems { get; private set; }

    /// <summary>
    /// Indexes the header block that starts at <paramref name="start"/> and ends at the first empty line or at
    /// <paramref name="end"/>. <paramref name="blockEnd"/> is the offset just past the empty line (or
    /// <paramref name="end"/>). Throws <see cref="EslProtocolException"/> for a line without a colon or too many lines.
    /// </summary>
    public static HeaderTable Index(byte[] buffer, int start, int end, bool percentEncoded, EslFrameLimits limits, out int blockEnd)
    {
        // Real event lines average 15-30 bytes; sizing from the block avoids renting and copying while it grows.
        var expectedLines = Math.Clamp((end - start) / 16, 32, Math.Max(32, limits.MaxHeaderCount));
        var entries = ArrayPool<int>.Shared.Rent(Stride * expectedLines);
        var count = 0;
        var pos = start;
        blockEnd = end;
        while (pos < end)
        {
            var span = buffer.AsSpan(pos, end - pos);
            var nl = span.IndexOf((byte)'\n');
            var lineLength = nl < 0 ? span.Length : nl;
            var next = nl < 0 ? end : pos + nl + 1;
            var line = span[..lineLength];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                blockEnd = next;
                break;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                ArrayPool<int>.Shared.Return(entries);
                throw new EslProtocolException("header line without a 'Name: value' form", pos);
            }

            if (count >= limits.MaxHeaderCount)
            {
                ArrayPool<int>.Shared.Return(entries);
                throw new EslProtocolException($"more than {limits.MaxHeaderCount} header lines", pos);
            }

            if ((count + 1) * Stride > entries.Length)
            {
                var bigger = ArrayPool<int>.Shared.Rent(entries.Length * 2);
                entries.AsSpan(0, count * Stride).CopyTo(bigger);
                ArrayPool<int>.Shared.Return(entries);
                entries = bigger;
            }

            // FreeSWITCH writes "Name: value"; one space after the colon belongs to the syntax.
            var valueStart = colon + 1;
            if (valueStart < line.Length && line[valueStart] == (byte)' ')
            {
                valueStart++;
            }

            var e = count * Stride;
            entries[e] = pos;
            entries[e + 1] = colon;
            entries[e + 2] = pos + valueStart;
            entries[e + 3] = line.Length - valueStart;
            count++;
            pos = next;
            blockEnd = next;
        }

        return new HeaderTable(buffer, entries, count, percentEncoded);
    }

    public ReadOnlySpan<byte> NameBytes(int i) => _buffer.AsSpan(_entries[i * Stride], _entries[(i * Stride) + 1]);

    public ReadOnlySpan<byte> RawValue(int i) => _buffer.AsSpan(_entries[(i * Stride) + 2], _entries[(i * Stride) + 3]);

    public string Name(int i) => Encoding.ASCII.GetString(NameBytes(i));

    public string Value(int i)
    {
        var problems = DecodeProblems;
        var value = PercentEncoding.Decode(RawValue(i), PercentEncoded, ref problems);
        DecodeProblems = problems;
        return value;
    }

    /// <summary>Index of the first line named <paramref name="name"/> at or after <paramref name="from"/>, or -1.</summary>
    public int Find(ReadOnlySpan<char> name, int from = 0)
    {
        // A linear scan (events carry ~50-300 lines); the length and first letter reject almost every line before
        // the full case-insensitive comparison.
        if (name.IsEmpty)
        {
            return -1;
        }

        var entries = _entries;
        var buffer = _buffer;
        var length = name.Length;
        var first = name[0] | 0x20;
        for (var i = from; i < Count; i++)
        {
            var e = i * Stride;
            if (entries[e + 1] != length || (buffer[entries[e]] | 0x20) != first)
            {
                continue;
            }

            if (NameEquals(buffer.AsSpan(entries[e], length), name))
            {
                return i;
            }
        }

        return -1;
    }

    public string? Get(ReadOnlySpan<char> name)
    {
        var i = Find(name);
        return i < 0 ? null : Value(i);
    }

    /// <summary>Parses an integer header without allocating (Content-Length, Event-Sequence).</summary>
    public bool TryGetInt64(ReadOnlySpan<char> name, out long value)
    {
        value = 0;
        var i = Find(name);
        return i >= 0 && System.Buffers.Text.Utf8Parser.TryParse(RawValue(i), out value, out var used) && used == RawValue(i).Length;
    }

    public void Release()
    {
        var entries = _entries;
        _entries = [];
        _buffer = [];
        if (entries.Length > 0)
        {
            ArrayPool<int>.Shared.Return(entries);
        }
    }

    internal static bool NameEquals(ReadOnlySpan<byte> ascii, ReadOnlySpan<char> name)
    {
        if (ascii.Length != name.Length)
        {
            return false;
        }

        for (var i = 0; i < ascii.Length; i++)
        {
            var a = ascii[i];
            var b = name[i];
            if (a == b)
            {
                continue;
            }

            if ((uint)((a | 0x20) - 'a') <= 'z' - 'a' && (a | 0x20) == (b | 0x20))
            {
                continue;
            }

            return false;
        }

        return true;
    }
}
