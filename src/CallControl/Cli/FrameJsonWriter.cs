using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Cli;

/// <summary>
/// Renders one frame as one line of JSON: <c>offset</c>, <c>length</c>, <c>contentType</c>, the envelope
/// <c>headers</c> as [name, value] pairs (order and repeats kept), the <c>body</c> as text, and for a frame that
/// carries an event (plain, json, or the outbound connect reply) the parsed <c>event</c> with decoded values.
/// </summary>
internal sealed class FrameJsonWriter
{
    // Non-ASCII text (caller names like "Zoë 测试") stays readable instead of \u-escaped.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    /// <summary>Renders the frame and disposes it. Throws <see cref="EslProtocolException"/> for a malformed event.</summary>
    public string Render(EslFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("offset", frame.StreamOffset);
            json.WriteNumber("length", frame.Length);
            json.WriteString("contentType", frame.ContentType);
            json.WritePropertyName("headers");
            WritePairs(json, frame.Headers);
            json.WriteString("body", frame.BodyText);
            if (frame.CarriesEvent)
            {
                WriteEvent(json, frame);
            }
            else
            {
                frame.Dispose();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private static void WriteEvent(Utf8JsonWriter json, EslFrame frame)
    {
        EslEvent ev;
        try
        {
            ev = EslEvent.FromFrame(frame);
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        using (ev)
        {
            json.WriteStartObject("event");
            json.WriteString("format", ev.Format switch
            {
                EslEventFormat.Plain => "plain",
                EslEventFormat.Json => "json",
                _ => "connect-reply",
            });
            json.WriteString("name", ev.EventName);
            json.WriteString("subclass", ev.Subclass);
            json.WritePropertyName("headers");
            WritePairs(json, ev.Headers);
            json.WriteString("body", ev.Body);
            json.WriteNumber("decodeProblems", ev.DecodeProblems);
            json.WriteEndObject();
        }
    }

    private static void WritePairs(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        json.WriteStartArray();
        foreach (var (name, value) in pairs)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            json.WriteStringValue(value);
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }
}
