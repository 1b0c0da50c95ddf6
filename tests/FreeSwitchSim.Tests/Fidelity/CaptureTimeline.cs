using System.Text;
using System.Text.Json;
using CallControl.Esl.Protocol;
using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>
/// A capture's <c>*.timeline.jsonl</c> read as a script: the client's writes (<c>out</c>) with their time, and every
/// frame FreeSWITCH sent, decoded with our ESL client's decoder, tagged with the timeline record that completed it.
/// </summary>
internal sealed class CaptureTimeline
{
    private CaptureTimeline(string scenario, List<TimelineWrite> writes, List<TimedFrame> frames, double end)
    {
        Scenario = scenario;
        Writes = writes;
        Frames = frames;
        EndTime = end;
    }

    public string Scenario { get; }

    public IReadOnlyList<TimelineWrite> Writes { get; }

    public IReadOnlyList<TimedFrame> Frames { get; }

    /// <summary>The t of the last record (the goodbye notice): how long the session lasted.</summary>
    public double EndTime { get; }

    public static CaptureTimeline Load(string scenario)
    {
        var writes = new List<TimelineWrite>();
        var inBytes = new List<byte>();
        var inRecords = new List<(long End, int Index, double T)>();
        var index = 0;
        double end = 0;
        foreach (var line in File.ReadLines(CaptureStream.PathOf(scenario + ".timeline.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var t = doc.RootElement.GetProperty("t").GetDouble();
            // The timeline holds each read or write as latin-1 text: one char per byte.
            var bytes = Encoding.Latin1.GetBytes(doc.RootElement.GetProperty("text").GetString()!);
            if (doc.RootElement.GetProperty("dir").GetString() == "out")
            {
                writes.Add(new TimelineWrite(index, t, bytes));
            }
            else
            {
                inBytes.AddRange(bytes);
                inRecords.Add((inBytes.Count, index, t));
            }
            end = t;
            index++;
        }

        var raw = File.ReadAllBytes(CaptureStream.PathOf(scenario + ".server.raw"));
        Assert.True(raw.AsSpan().SequenceEqual(inBytes.ToArray()), $"{scenario}: timeline 'in' records are not server.raw");
        var frames = new List<TimedFrame>();
        foreach (var frame in EslStreamDecoder.DecodeAll(raw))
        {
            var wire = WireFrame.From(frame);
            var frameEnd = frame.StreamOffset + frame.Length;
            var record = inRecords.First(r => r.End >= frameEnd);
            frames.Add(new TimedFrame(wire, record.Index, record.T));
        }
        return new CaptureTimeline(scenario, writes, frames, end);
    }

    /// <summary>The first captured event matching <paramref name="match"/>: where a caller's action belongs.</summary>
    public TimedFrame FirstEvent(Func<WireEvent, bool> match) =>
        Frames.FirstOrDefault(f => f.Frame.Event is { } e && match(e))
        ?? throw new InvalidOperationException($"{Scenario}: no captured event matches");
}

/// <summary>One client write of the capture: its position among the timeline records, its time, its bytes.</summary>
internal sealed record TimelineWrite(int Record, double T, byte[] Bytes);

/// <summary>A captured frame with the timeline record (index and time) in which its last byte arrived.</summary>
internal sealed record TimedFrame(WireFrame Frame, int Record, double T);
