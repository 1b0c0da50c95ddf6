using System.Text;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Tests.Protocol;

/// <summary>
/// <c>text/event-json</c> frames as mod_event_socket sends them: <c>Content-Length</c>, <c>Content-Type:
/// text/event-json</c>, then <c>switch_event_serialize_json</c>'s output: one unformatted cJSON object, headers in
/// order as strings, array headers as JSON arrays, and when there is a body, <c>Content-Length</c> then <c>_body</c> last.
/// (The captures hold no event-json frame: `event json HEARTBEAT` was followed by `noevents` before a heartbeat came.)
/// </summary>
public sealed class JsonEventTests
{
    private const string BackgroundJob =
        """{"Event-Name":"BACKGROUND_JOB","Core-UUID":"659c4001-110b-469d-aeec-e58f1be1b235","FreeSWITCH-Hostname":"vm","Event-Date-Timestamp":"1795707836593075","Event-Sequence":"216448","Job-UUID":"7f4db78a-5f1c-4a1e-9a59-1c6a3c0b8e11","Job-Command":"status","Content-Length":"37","_body":"UP 0 years, 0 days\n100 session(s)\n\u00e9\n"}""";

    [Fact]
    public void Json_background_job_parses_headers_in_order_and_the_body()
    {
        using var ev = Parse(BackgroundJob);

        Assert.Equal("BACKGROUND_JOB", ev.EventName);
        Assert.Equal("7f4db78a-5f1c-4a1e-9a59-1c6a3c0b8e11", ev.JobUuid);
        Assert.Equal(216448, ev.EventSequence);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795707836593).AddTicks(750), ev.Timestamp);
        Assert.Equal("UP 0 years, 0 days\n100 session(s)\né\n", ev.Body);
        Assert.Equal(Encoding.UTF8.GetBytes("UP 0 years, 0 days\n100 session(s)\né\n"), ev.BodyBytes.ToArray());
        Assert.Equal(
            ["Event-Name", "Core-UUID", "FreeSWITCH-Hostname", "Event-Date-Timestamp", "Event-Sequence", "Job-UUID", "Job-Command", "Content-Length"],
            ev.Headers.Select(h => h.Key));
    }

    [Fact]
    public void Json_heartbeat_without_body_has_no_body()
    {
        using var ev = Parse("""{"Event-Name":"HEARTBEAT","Event-Info":"System Ready","Session-Count":"0","Max-Sessions":"1000","Idle-CPU":"99.233333"}""");

        Assert.Equal("HEARTBEAT", ev.EventName);
        Assert.Equal("99.233333", ev["Idle-CPU"]);
        Assert.Null(ev.Body);
        Assert.True(ev.BodyBytes.IsEmpty);
    }

    [Fact]
    public void Json_array_header_becomes_repeated_values_in_order()
    {
        using var ev = Parse("""{"Event-Name":"CHANNEL_PARK","variable_DP_MATCH":["room-n1","n1"],"Unique-ID":"dc7a8cdf"}""");

        Assert.Equal(["room-n1", "n1"], ev.GetArray("variable_DP_MATCH"));
        Assert.Equal(["room-n1", "n1"], ev.GetAll("variable_dp_match"));
        Assert.Equal("dc7a8cdf", ev.UniqueId);
    }

    [Fact]
    public void Json_duplicate_names_are_kept_like_repeated_plain_headers()
    {
        // cJSON_AddItemToObject does not replace: an event with two headers of one name serialises both.
        using var ev = Parse("""{"Event-Name":"CODEC","Channel-Read-Codec-Name":"PCMU","channel-read-codec-name":"PCMA"}""");

        Assert.Equal(["PCMU", "PCMA"], ev.GetAll("Channel-Read-Codec-Name"));
    }

    [Fact]
    public void Json_values_with_percent_and_escapes_are_taken_verbatim()
    {
        using var ev = Parse("""{"Event-Name":"CUSTOM","X-Note":"50%25 caf\u00e9 %zz","X-Quote":"say \"hi\"\t\\"}""");

        Assert.Equal("50%25 café %zz", ev["X-Note"]);
        Assert.Equal("say \"hi\"\t\\", ev["X-Quote"]);
        Assert.Equal(0, ev.DecodeProblems);
    }

    [Fact]
    public async Task Json_event_frames_decode_through_the_stream_decoder_between_other_frames()
    {
        var data = TestWire.Concat(
            TestWire.CommandReply("+OK event listener enabled json"),
            TestWire.Frame("text/event-json", TestWire.Utf8(BackgroundJob)),
            TestWire.Frame("text/event-json", TestWire.Utf8("""{"Event-Name":"HEARTBEAT"}""")));
        await using var decoder = TestWire.ChunkedDecoder(data, () => 3);

        var names = new List<string?>();
        await foreach (var frame in decoder.ReadAllAsync(TestWire.Timeout()))
        {
            if (frame.Kind == EslFrameKind.EventJson)
            {
                using var ev = EslEvent.FromFrame(frame);
                names.Add(ev.EventName);
            }
            else
            {
                Assert.Equal("+OK event listener enabled json", frame.ReplyText);
                frame.Dispose();
            }
        }

        Assert.Equal(["BACKGROUND_JOB", "HEARTBEAT"], names);
    }

    [Fact]
    public void Json_value_with_invalid_utf8_never_throws_and_is_counted()
    {
        // cJSON copies a value's bytes as they are, so a SIP User-Agent that is not UTF-8 reaches the JSON unchanged.
        var json = TestWire.Concat(
            TestWire.Utf8("""{"Event-Name":"CUSTOM","variable_sip_user_agent":"UA"""), [0xC3, 0x28], TestWire.Utf8("""!","X-Esc":"a\u00e9"""),
            [0xFF], TestWire.Utf8("\"}"));
        var frame = EslStreamDecoder.DecodeAll(TestWire.Frame("text/event-json", json)).Single();

        using var ev = EslEvent.FromFrame(frame);

        Assert.Equal("CUSTOM", ev.EventName);
        Assert.Equal("UA\uFFFD(!", ev.GetVariable("sip_user_agent"));
        Assert.Contains("\uFFFD", ev["X-Esc"], StringComparison.Ordinal);
        Assert.Equal(2, ev.DecodeProblems);
    }

    private static EslEvent Parse(string json) =>
        EslEvent.FromFrame(EslStreamDecoder.DecodeAll(TestWire.Frame("text/event-json", TestWire.Utf8(json))).Single());
}
