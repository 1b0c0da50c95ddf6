using System.Text;
using System.Text.Json;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Events;

/// <summary>Parsing <c>text/event-json</c>: what <c>switch_event_serialize_json</c> writes.</summary>
public sealed partial class EslEvent
{
    /// <summary>
    /// Parses a <c>text/event-json</c> body: one object, headers in order (a repeated name is kept), JSON arrays as
    /// repeated headers (see <see cref="GetArray"/>), the body in <c>_body</c>. Values are not percent-encoded. cJSON
    /// copies bytes as they are, so a value may hold invalid UTF-8: it becomes U+FFFD and counts in
    /// <see cref="DecodeProblems"/>, never an exception. Malformed JSON is an <see cref="EslProtocolException"/>.
    /// </summary>
    public static EslEvent ParseJson(ReadOnlySpan<byte> json, long offset = 0)
    {
        var headers = new List<KeyValuePair<string, string>>();
        string? body = null;
        var problems = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new EslProtocolException("JSON event is not an object", offset);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = JsonText(ref reader, ref problems);
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        headers.Add(new(name, ScalarText(ref reader, ref problems)));
                    }

                    continue;
                }

                var value = ScalarText(ref reader, ref problems);
                if (name == "_body")
                {
                    body = value;
                }
                else
                {
                    headers.Add(new(name, value));
                }
            }
        }
        catch (JsonException e)
        {
            throw new EslProtocolException("JSON event: " + e.Message, offset + (e.BytePositionInLine ?? 0));
        }

        return new EslEvent(headers, body, problems);
    }

    private static string ScalarText(ref Utf8JsonReader reader, ref int problems)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return JsonText(ref reader, ref problems);
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                // A nested object: keep its JSON text rather than lose it.
                using (var doc = JsonDocument.ParseValue(ref reader))
                {
                    return doc.RootElement.GetRawText();
                }
        }
    }

    /// <summary>A string token or property name as text; invalid UTF-8 becomes U+FFFD and is counted.</summary>
    private static string JsonText(ref Utf8JsonReader reader, ref int problems)
    {
        if (!reader.ValueIsEscaped)
        {
            return PercentEncoding.Decode(reader.ValueSpan, percentEncoded: false, ref problems);
        }

        try
        {
            return reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            // Escapes and invalid bytes together: keep the raw text (escapes unprocessed) rather than lose the value.
            var ignored = 0;
            problems++;
            return PercentEncoding.Decode(reader.ValueSpan, percentEncoded: false, ref ignored);
        }
    }
}
