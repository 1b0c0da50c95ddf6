using System.Text;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Tests.Protocol;

/// <summary>One test per fact in ESL-FACTS.md, sections Framing and Encoding.</summary>
public sealed class EslFactsTests
{
    // Framing: "A frame is a header block ending at an empty line, then Content-Length BYTES of body."
    [Fact]
    public void Framing_content_length_counts_bytes_not_characters()
    {
        var body = TestWire.Utf8("Zoë 测试 café\n"); // 13 characters, 18 bytes
        var data = TestWire.Concat(TestWire.Frame("api/response", body), TestWire.CommandReply("+OK next"));

        var frames = EslStreamDecoder.DecodeAll(data).ToList();

        Assert.Equal(2, frames.Count);
        Assert.Equal(18, frames[0].BodySpan.Length);
        Assert.Equal("Zoë 测试 café\n", frames[0].BodyText);
        Assert.Equal("+OK next", frames[1].ReplyText);
        Assert.Equal(data.Length - TestWire.CommandReply("+OK next").Length, frames[1].StreamOffset);
        frames.ForEach(f => f.Dispose());
    }

    // Framing: "A text/event-plain body is itself a header block, which can carry its own Content-Length and an inner body."
    [Fact]
    public void Framing_plain_event_body_is_a_header_block_with_its_own_content_length_and_inner_body()
    {
        var inner = TestWire.Utf8("+OK 1670bdc0\nsecond line é\n");
        var frame = EslStreamDecoder.DecodeAll(TestWire.PlainEvent("Event-Name: BACKGROUND_JOB\nJob-UUID: e2fdfae8", inner)).Single();

        using var ev = EslEvent.FromFrame(frame);

        Assert.Equal("BACKGROUND_JOB", ev.EventName);
        Assert.Equal("e2fdfae8", ev.JobUuid);
        Assert.Equal(inner.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ev["Content-Length"]);
        Assert.Equal("+OK 1670bdc0\nsecond line é\n", ev.Body);
        Assert.Equal(inner, ev.BodyBytes.ToArray());
    }

    // Framing: "Header names can repeat in one event, and case varies (Unique-ID and unique-id both occur). Keep every line."
    [Fact]
    public void Framing_repeated_header_names_in_any_case_are_all_kept_in_order()
    {
        var frame = EslStreamDecoder.DecodeAll(TestWire.PlainEvent("Event-Name: CODEC\nUnique-ID: a\nX-Dup: 1\nunique-id: b\nx-dup: 2")).Single();

        using var ev = EslEvent.FromFrame(frame);

        Assert.Equal(["Event-Name", "Unique-ID", "X-Dup", "unique-id", "x-dup"], ev.Headers.Select(h => h.Key));
        Assert.Equal("a", ev.UniqueId);
        Assert.Equal(["a", "b"], ev.GetAll("UNIQUE-ID"));
        Assert.Equal(["1", "2"], ev.GetAll("X-Dup"));
    }

    // Framing: "Multi-value headers are serialised ARRAY::v1|:v2 before encoding."
    [Fact]
    public void Framing_array_headers_are_serialised_ARRAY_then_percent_encoded()
    {
        var frame = EslStreamDecoder.DecodeAll(TestWire.PlainEvent("Event-Name: CHANNEL_PARK\nvariable_DP_MATCH: ARRAY%3A%3Aroom-n1%7C%3An1\nvariable_one: plain")).Single();

        using var ev = EslEvent.FromFrame(frame);

        Assert.Equal("ARRAY::room-n1|:n1", ev.GetVariable("DP_MATCH"));
        Assert.Equal(["room-n1", "n1"], ev.GetArray("variable_DP_MATCH"));
        Assert.Equal(["plain"], ev.GetArray("variable_one"));
        Assert.Empty(ev.GetArray("variable_missing"));
    }

    // Framing: "The outbound connect reply is a CHANNEL_DATA event serialised in the envelope itself, with percent-encoded
    // values (Reply-Text: %2BOK%0A), Socket-Mode: async|static, Control: full|single-channel, and no Content-Length."
    [Theory]
    [InlineData("async", "full")]
    [InlineData("static", "single-channel")]
    public void Framing_outbound_connect_reply_is_channel_data_in_the_envelope(string socketMode, string control)
    {
        var reply = TestWire.Utf8(
            "Event-Name: CHANNEL_DATA\nChannel-Name: sofia/external/alice%40127.0.0.1%3A5070\nUnique-ID: e3c5cd14\n" +
            $"Content-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: {socketMode}\nControl: {control}\n\n");
        var data = TestWire.Concat(reply, TestWire.CommandReply("+OK Events Enabled"));

        var frames = EslStreamDecoder.DecodeAll(data).ToList();
        Assert.Equal(2, frames.Count);
        Assert.True(frames[0].CarriesEvent);
        Assert.False(frames[1].CarriesEvent);
        Assert.Equal(reply.Length, frames[0].Length);
        frames[1].Dispose();
        using var ev = EslEvent.FromFrame(frames[0]);

        Assert.Equal(EslEventFormat.ConnectReply, ev.Format);
        Assert.Equal("CHANNEL_DATA", ev.EventName);
        Assert.Equal("+OK\n", ev["Reply-Text"]);
        Assert.Equal(socketMode, ev["Socket-Mode"]);
        Assert.Equal(control, ev["Control"]);
        Assert.Equal("sofia/external/alice@127.0.0.1:5070", ev.ChannelName);
        Assert.Null(ev.Body);
    }

    // Encoding: "switch_url_encode with double-encoding off: an existing %XX is left as it is, so the encoding is lossy
    // (100%41 arrives unchanged and decodes to 100A)."
    [Fact]
    public void Encoding_existing_percent_hex_is_not_double_encoded_so_decoding_is_lossy()
    {
        var frame = EslStreamDecoder.DecodeAll(TestWire.PlainEvent("Event-Name: CHANNEL_EXECUTE\nvariable_note: 100%41%20done\nvariable_pct: 50%25")).Single();

        using var ev = EslEvent.FromFrame(frame);

        Assert.Equal("100A done", ev.GetVariable("note"));
        Assert.Equal("50%", ev.GetVariable("pct"));
        Assert.Equal(0, ev.DecodeProblems);
    }

    // Encoding: "An empty value is serialised as _undef_." It cannot be told from a literal "_undef_", so it is kept as sent.
    [Fact]
    public void Encoding_empty_value_arrives_as_undef_and_is_kept_as_sent()
    {
        var frame = EslStreamDecoder.DecodeAll(TestWire.PlainEvent("Event-Name: CUSTOM\nX-Empty: _undef_\nX-Blank: ")).Single();

        using var ev = EslEvent.FromFrame(frame);

        Assert.Equal("_undef_", ev["X-Empty"]);
        Assert.Equal(string.Empty, ev["X-Blank"]);
    }

    // Encoding: "A decoder must never throw on bad % sequences ... count what could not be decoded."
    [Theory]
    [InlineData("%zz", "%zz")]
    [InlineData("50%", "50%")]
    [InlineData("5%4", "5%4")]
    [InlineData("%%41", "%A")]
    [InlineData("a%g1b", "a%g1b")]
    public void Encoding_bad_percent_sequences_are_kept_as_sent_and_counted(string raw, string decoded)
    {
        var frame = EslStreamDecoder.DecodeAll(TestWire.PlainEvent($"Event-Name: CUSTOM\nX-Value: {raw}")).Single();

        using var ev = EslEvent.FromFrame(frame);

        Assert.Equal(decoded, ev["X-Value"]);
        Assert.Equal(1, ev.DecodeProblems);
        Assert.Equal(raw, Encoding.UTF8.GetString(ev.GetRawHeader("X-Value")));
    }

    // Encoding: "FreeSWITCH can emit bytes that are not valid UTF-8 (e.g. from a SIP User-Agent). ... keep the raw bytes."
    [Fact]
    public void Encoding_invalid_utf8_never_throws_keeps_the_raw_bytes_and_is_counted()
    {
        byte[] rawAgent = [(byte)'U', (byte)'A', 0xC3, 0x28, (byte)'!'];
        var block = TestWire.Concat(
            TestWire.Utf8("Event-Name: CUSTOM\nvariable_sip_user_agent: "), rawAgent,
            TestWire.Utf8("\nX-Encoded: %FF%FEok\nX-Good: caf%C3%A9\n"));
        var frame = EslStreamDecoder.DecodeAll(TestWire.Frame("text/event-plain", block)).Single();

        using var ev = EslEvent.FromFrame(frame);

        Assert.Equal("UA\uFFFD(!", ev.GetVariable("sip_user_agent"));
        Assert.Equal("\uFFFD\uFFFDok", ev["X-Encoded"]);
        Assert.Equal("café", ev["X-Good"]);
        Assert.Equal(2, ev.DecodeProblems);
        Assert.Equal(rawAgent, ev.GetRawHeader("variable_sip_user_agent").ToArray());
    }

    // Encoding: invalid UTF-8 in a body (an api reply, a log line) does not throw either.
    [Fact]
    public void Encoding_invalid_utf8_in_a_body_never_throws()
    {
        byte[] body = [0xFF, (byte)'o', (byte)'k'];
        var frame = EslStreamDecoder.DecodeAll(TestWire.Frame("api/response", body)).Single();

        Assert.Equal("\uFFFDok", frame.BodyText);
        Assert.Equal(body, frame.BodySpan.ToArray());
        frame.Dispose();
    }

    // Encoding: "JSON events are not percent-encoded; arrays are JSON arrays; the body is in _body."
    [Fact]
    public void Encoding_json_events_are_not_percent_encoded_arrays_are_json_arrays_body_in__body()
    {
        const string Json = """{"Event-Name":"CUSTOM","Event-Subclass":"callcontrol::test","X-Note":"café 100%41","X-List":["a","b|c"],"Content-Length":"12","_body":"line1\nline2\n"}""";
        var frame = EslStreamDecoder.DecodeAll(TestWire.Frame("text/event-json", TestWire.Utf8(Json))).Single();

        using var ev = EslEvent.FromFrame(frame);

        Assert.Equal(EslEventFormat.Json, ev.Format);
        Assert.Equal("café 100%41", ev["X-Note"]);
        Assert.Equal(["a", "b|c"], ev.GetArray("X-List"));
        Assert.Equal("line1\nline2\n", ev.Body);
        Assert.Equal("12", ev["Content-Length"]);
        Assert.DoesNotContain(ev.Headers, h => h.Key == "_body");
    }
}
