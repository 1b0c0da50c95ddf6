using CallControl.Esl.Protocol;

namespace CallControl.Bench.EslParse;

/// <summary>The benchmark's input: the <c>text/event-plain</c> frames of every real capture, byte for byte.</summary>
internal static class EventStream
{
    /// <summary>One pass over the captures' event frames, concatenated in capture order.</summary>
    public static (byte[] Unit, int Events) BuildUnit(string capturesDir)
    {
        using var unit = new MemoryStream();
        var events = 0;
        foreach (var path in Directory.GetFiles(capturesDir, "*.server.raw").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            foreach (var frame in EslStreamDecoder.DecodeAll(bytes))
            {
                if (frame.Kind == EslFrameKind.EventPlain)
                {
                    unit.Write(bytes, (int)frame.StreamOffset, frame.Length);
                    events++;
                }

                frame.Dispose();
            }
        }

        return (unit.ToArray(), events);
    }

    /// <summary>The unit repeated until the stream holds at least <paramref name="minBytes"/> bytes.</summary>
    public static byte[] Repeat(byte[] unit, long minBytes, out int copies)
    {
        copies = (int)Math.Max(1, (minBytes + unit.Length - 1) / unit.Length);
        var stream = new byte[(long)unit.Length * copies];
        for (var i = 0; i < copies; i++)
        {
            unit.CopyTo(stream, (long)i * unit.Length);
        }

        return stream;
    }
}
