using System.Text;
using FreeSwitchSim.Core;
using FreeSwitchSim.Esl;

namespace FreeSwitchSim.Tests.Esl;

public sealed class EventSerializerTests
{
    [Fact]
    public void Plain_every_captured_event_reserialises_byte_exact()
    {
        var checkedEvents = 0;
        var skipped = 0;
        foreach (var file in Captures.ServerRawFiles())
        {
            foreach (var frame in Captures.Frames(Captures.Bytes(file)).Where(f => f.ContentType == "text/event-plain"))
            {
                var e = Captures.DecodePlainEvent(frame.Body);
                if (e is null)
                {
                    skipped++;
                    continue;
                }
                var ours = EventSerializer.Frame(e, EventFormat.Plain);
                Assert.True(frame.Raw.AsSpan().SequenceEqual(ours),
                    $"{file}: event {e.Get("Event-Name")} seq {e.Get("Event-Sequence")} differs:\n{Encoding.UTF8.GetString(ours)}");
                checkedEvents++;
            }
        }
        Assert.True(checkedEvents > 700, $"only {checkedEvents} events checked");
        Assert.True(skipped < 20, $"{skipped} events could not be decoded for a round trip");
    }

    [Fact]
    public void Plain_background_job_frame_matches_capture_bytes()
    {
        var frames = Captures.Frames(Captures.Bytes("commands.server.raw"));
        var job = frames.First(f => f.ContentType == "text/event-plain" && f.BodyText.Contains("Job-Command-Arg", StringComparison.Ordinal));
        var e = new SimEvent("BACKGROUND_JOB");
        foreach (var (k, v) in new[]
        {
            ("Event-Name", "BACKGROUND_JOB"), ("Core-UUID", "659c4001-110b-469d-aeec-e58f1be1b235"),
            ("FreeSWITCH-Hostname", "vm"), ("FreeSWITCH-Switchname", "vm"), ("FreeSWITCH-IPv4", "192.0.2.2"),
            ("FreeSWITCH-IPv6", "fd00::2"), ("Event-Date-Local", "2026-11-26 15:41:40"),
            ("Event-Date-GMT", "Thu, 26 Nov 2026 15:41:40 GMT"), ("Event-Date-Timestamp", "1795707700613072"),
            ("Event-Calling-File", "mod_event_socket.c"), ("Event-Calling-Function", "api_exec"),
            ("Event-Calling-Line-Number", "1572"), ("Event-Sequence", "499"),
            ("Job-UUID", "1f576e9b-b73a-4066-a4c7-695b9d6f9b37"), ("Job-Command", "originate"),
            ("Job-Command-Arg", "sofia/gateway/carrier_busy/+15550001111 &park()"),
        })
        {
            e.Add(k, v);
        }
        e.Body = "-ERR NORMAL_TEMPORARY_FAILURE\n";

        Assert.Equal(job.Text, Encoding.UTF8.GetString(EventSerializer.Frame(e, EventFormat.Plain)));
    }

    [Theory]
    [InlineData("fd00::2", "fd00%3A%3A2")]
    [InlineData("2026-11-26 15:41:39", "2026-11-26%2015%3A41%3A39")]
    [InlineData("100%41", "100%41")]
    [InlineData("100%4a", "100%254a")]
    [InlineData("100%", "100%25")]
    [InlineData("café 100%", "caf%C3%A9%20100%25")]
    [InlineData("sip:a@b;tag=1", "sip%3Aa%40b%3Btag%3D1")]
    [InlineData("a/b(c)d,e.f-g_h*i!j'k$l~m", "a/b(c)d,e.f-g_h*i!j'k$l~m")]
    [InlineData("x\r\ny\t\u007f", "x%0D%0Ay%09%7F")]
    [InlineData("<{[|]}>^`\"", "%3C%7B%5B%7C%5D%7D%3E%5E%60%22")]
    public void UrlEncode_follows_switch_url_encode(string value, string expected) =>
        Assert.Equal(expected, FsUrlEncoder.Encode(value));

    [Fact]
    public void Plain_empty_value_is_undef_and_empty_body_adds_no_content_length()
    {
        var e = new SimEvent("X").Add("Event-Name", "X").Add("Empty", "");
        e.Body = "";
        Assert.Equal("Event-Name: X\nEmpty: _undef_\n\n", Encoding.UTF8.GetString(EventSerializer.Plain(e)));
    }

    [Fact]
    public void Plain_body_content_length_counts_utf8_bytes()
    {
        var e = new SimEvent("X").Add("Event-Name", "X");
        e.Body = "café\n";
        Assert.Equal("Event-Name: X\nContent-Length: 6\n\ncafé\n", Encoding.UTF8.GetString(EventSerializer.Plain(e)));
        var frame = Encoding.UTF8.GetString(EventSerializer.Frame(e, EventFormat.Plain));
        Assert.StartsWith("Content-Length: 39\nContent-Type: text/event-plain\n\n", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_is_unformatted_cjson_with_arrays_and_body_last()
    {
        var e = new SimEvent("CUSTOM", "a::b")
            .Add("Event-Name", "CUSTOM").Add("Event-Subclass", "a::b")
            .Add("variable_DP_MATCH", "ARRAY::sock-o1|:o1").Add("Quote", "say \"hi\"\\ /é\t\u0001");
        e.Body = "line\n";
        var json = Encoding.UTF8.GetString(EventSerializer.Json(e));
        Assert.Equal(
            "{\"Event-Name\":\"CUSTOM\",\"Event-Subclass\":\"a::b\",\"variable_DP_MATCH\":[\"sock-o1\",\"o1\"]," +
            "\"Quote\":\"say \\\"hi\\\"\\\\ /é\\t\\u0001\",\"Content-Length\":\"5\",\"_body\":\"line\\n\"}", json);
        var frame = Encoding.UTF8.GetString(EventSerializer.Frame(e, EventFormat.Json));
        Assert.StartsWith($"Content-Length: {Encoding.UTF8.GetByteCount(json)}\nContent-Type: text/event-json\n\n{{", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Xml_is_switch_xml_toxml_layout_with_encoded_values()
    {
        var e = new SimEvent("CUSTOM").Add("Event-Name", "CUSTOM").Add("FreeSWITCH-IPv6", "fd00::2").Add("A", "ARRAY::x|:y");
        e.Body = "1 < 2 & ok\n";

        Assert.Equal(
            "<event>\n  <headers>\n    <Event-Name>CUSTOM</Event-Name>\n    <FreeSWITCH-IPv6>fd00%3A%3A2</FreeSWITCH-IPv6>\n" +
            "    <A>x</A>\n    <A>y</A>\n  </headers>\n  <Content-Length>11</Content-Length>\n" +
            "  <body>1 &lt; 2 &amp; ok\n  </body>\n</event>\n",
            Encoding.UTF8.GetString(EventSerializer.Xml(e)));
    }
}
