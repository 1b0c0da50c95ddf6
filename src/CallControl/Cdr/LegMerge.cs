using System.Text.Json;
using CallControl.Data;

namespace CallControl.Cdr;

/// <summary>
/// Combines the two writes of one leg (its CHANNEL_HANGUP_COMPLETE and its mod_json_cdr POST) into the row
/// <see cref="LegStore"/>'s upsert would leave after both, so the row is written once: mod_json_cdr's value wins
/// wherever it has one, the event fills in what only it knows (our node name, a header FreeSWITCH left out of the
/// document), and the variables are the union with the document's values winning.
/// </summary>
internal static class LegMerge
{
    /// <summary>The leg as one write; <paramref name="fromEvent"/> and <paramref name="fromCdr"/> are the same leg.</summary>
    public static LegUpsert Combine(LegUpsert fromEvent, LegUpsert fromCdr)
    {
        ArgumentNullException.ThrowIfNull(fromEvent);
        ArgumentNullException.ThrowIfNull(fromCdr);
        var combined = fromCdr with
        {
            Source = LegSource.Both,
            CallId = fromCdr.CallId ?? fromEvent.CallId,
            Role = fromCdr.Role ?? fromEvent.Role,
            ChannelName = fromCdr.ChannelName ?? fromEvent.ChannelName,
            Direction = fromCdr.Direction ?? fromEvent.Direction,
            StartAt = fromCdr.StartAt ?? fromEvent.StartAt,
            ProgressAt = fromCdr.ProgressAt ?? fromEvent.ProgressAt,
            ProgressMediaAt = fromCdr.ProgressMediaAt ?? fromEvent.ProgressMediaAt,
            AnswerAt = fromCdr.AnswerAt ?? fromEvent.AnswerAt,
            EndAt = fromCdr.EndAt ?? fromEvent.EndAt,
            Duration = fromCdr.Duration ?? fromEvent.Duration,
            Billsec = fromCdr.Billsec ?? fromEvent.Billsec,
            HangupCause = fromCdr.HangupCause ?? fromEvent.HangupCause,
            SipTermStatus = fromCdr.SipTermStatus ?? fromEvent.SipTermStatus,
            ReadCodec = fromCdr.ReadCodec ?? fromEvent.ReadCodec,
            WriteCodec = fromCdr.WriteCodec ?? fromEvent.WriteCodec,
            FreeswitchNode = fromCdr.FreeswitchNode ?? fromEvent.FreeswitchNode,
            JsonCdr = fromCdr.JsonCdr ?? fromEvent.JsonCdr,
        };
        return fromEvent.VariableMap is { } under && fromCdr.VariableMap is { } over
            ? combined with { VariableMap = Union(under, over) }
            : combined with { Variables = Union(fromEvent.Variables, fromCdr.Variables) };
    }

    // The same union over decoded maps (both legs were mapped here, the usual case): no JSON is parsed or written.
    private static Dictionary<string, string> Union(IReadOnlyDictionary<string, string> under, IReadOnlyDictionary<string, string> over)
    {
        var union = new Dictionary<string, string>(over.Count + 8, StringComparer.Ordinal);
        foreach (var (name, value) in over)
        {
            union[name] = value;
        }

        foreach (var (name, value) in under)
        {
            union.TryAdd(name, value);
        }

        return union;
    }

    // The union of two variables objects as JSON text, the second's values winning (a leg's variables are a flat
    // object of strings; either may be missing).
    private static string? Union(string? under, string? over)
    {
        if (under is null || over is null)
        {
            return over ?? under;
        }

        using var low = JsonDocument.Parse(under);
        using var high = JsonDocument.Parse(over);
        if (low.RootElement.ValueKind != JsonValueKind.Object || high.RootElement.ValueKind != JsonValueKind.Object)
        {
            return over;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream(under.Length + over.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in high.RootElement.EnumerateObject())
            {
                if (names.Add(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            foreach (var property in low.RootElement.EnumerateObject())
            {
                if (names.Add(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
