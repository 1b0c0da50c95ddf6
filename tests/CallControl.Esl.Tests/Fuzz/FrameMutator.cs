using System.Globalization;
using System.Text;

namespace CallControl.Esl.Tests.Fuzz;

/// <summary>
/// Makes hostile inputs for the frame reader from a seeded <see cref="Random"/>: random bytes, and windows of real
/// FreeSWITCH streams with a few mutations each (bit flips, inserted/deleted/duplicated ranges, a
/// <c>Content-Length</c> rewritten to a lie, stray blank lines, a cut end), which reach the deep paths random bytes never do.
/// </summary>
internal sealed class FrameMutator
{
    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _captures;
    private readonly IReadOnlyList<long[]> _boundaries;

    /// <summary><paramref name="captures"/> are whole server streams; their frame boundaries come from the decoder
    /// (their clean decoding is tested elsewhere), so windows can start and end between frames.</summary>
    public FrameMutator(Random random, IReadOnlyList<byte[]> captures)
    {
        _random = random;
        _captures = captures;
        _boundaries = [.. captures.Select(Boundaries)];
    }

    private static readonly byte[][] Tokens =
    [
        "\n"u8.ToArray(), "\n\n"u8.ToArray(), "\r\n"u8.ToArray(), ": "u8.ToArray(), "%"u8.ToArray(), "%0"u8.ToArray(),
        "%ZZ"u8.ToArray(), "Content-Length: "u8.ToArray(), "Content-Type: text/event-plain\n"u8.ToArray(),
        "Content-Type: text/event-json\n"u8.ToArray(), "Content-Type: api/response\n"u8.ToArray(),
        "Content-Type: text/disconnect-notice\n"u8.ToArray(), "{\"Event-Name\":"u8.ToArray(), "\u00ff\u00fe"u8.ToArray(),
        [0], [0xC3], [0xF0, 0x9F], "Event-Name: CHANNEL_PARK\n"u8.ToArray(),
    ];

    public byte[] Next(int iteration) => (iteration % 4) switch
    {
        0 => RandomBytes(_random.Next(0, 1024)),
        _ => Mutate(Window()),
    };

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        // Half the time from a framing-heavy alphabet, so headers and blank lines actually occur.
        if (_random.Next(2) == 0)
        {
            const string alphabet = "Content-Length: 0123456789\n\n:%-Tye/tx";
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)alphabet[bytes[i] % alphabet.Length];
            }
        }

        return bytes;
    }

    /// <summary>Whole frames (1 to 8 of them) of one capture, or, one time in four, an arbitrary byte range.</summary>
    private List<byte> Window()
    {
        var which = _random.Next(_captures.Count);
        var capture = _captures[which];
        var bounds = _boundaries[which];
        if (_random.Next(4) == 0 || bounds.Length < 2)
        {
            var length = Math.Min(capture.Length, _random.Next(64, 12 * 1024));
            return [.. capture.AsSpan(_random.Next(0, capture.Length - length + 1), length)];
        }

        var first = _random.Next(bounds.Length - 1);
        var last = Math.Min(bounds.Length - 1, first + _random.Next(1, 9));
        return [.. capture.AsSpan((int)bounds[first], (int)(bounds[last] - bounds[first]))];
    }

    private static long[] Boundaries(byte[] capture)
    {
        var bounds = new List<long> { 0 };
        foreach (var frame in CallControl.Esl.Protocol.EslStreamDecoder.DecodeAll(capture))
        {
            bounds.Add(frame.StreamOffset + frame.Length);
            frame.Dispose();
        }

        return [.. bounds];
    }

    private byte[] Mutate(List<byte> data)
    {
        // Sometimes none or one, so some inputs stay (nearly) valid and reach the event decoder.
        var mutations = _random.Next(0, 7);
        for (var m = 0; m < mutations; m++)
        {
            var at = data.Count == 0 ? 0 : _random.Next(data.Count);
            switch (_random.Next(8))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = (byte)_random.Next(256);
                    break;
                case 2:
                    data.InsertRange(at, Tokens[_random.Next(Tokens.Length)]);
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, Math.Min(data.Count - at, _random.Next(1, 64)));
                    break;
                case 4 when data.Count > 0:
                    var length = Math.Min(data.Count - at, _random.Next(1, 256));
                    data.InsertRange(_random.Next(data.Count), data.GetRange(at, length));
                    break;
                case 5:
                    LieAboutLength(data);
                    break;
                case 6 when data.Count > 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                default:
                    data.InsertRange(at, RandomBytes(_random.Next(1, 32)));
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Rewrites one Content-Length value: off by one, zero, negative, huge, not a number.</summary>
    private void LieAboutLength(List<byte> data)
    {
        var text = Encoding.Latin1.GetString([.. data]);
        var at = text.IndexOf("Content-Length: ", _random.Next(Math.Max(1, text.Length)) / 2, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        var digits = at + "Content-Length: ".Length;
        var end = digits;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        var old = long.TryParse(text.AsSpan(digits, end - digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var lie = _random.Next(7) switch
        {
            0 => (old + 1).ToString(CultureInfo.InvariantCulture),
            1 => Math.Max(0, old - 1).ToString(CultureInfo.InvariantCulture),
            2 => "0",
            3 => "-5",
            4 => "99999999999999999999",
            5 => "2147483648",
            _ => "12abc",
        };
        data.RemoveRange(digits, end - digits);
        data.InsertRange(digits, Encoding.ASCII.GetBytes(lie));
    }
}
