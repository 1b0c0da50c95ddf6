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

    [Fact]
    public void UrlEncode_written_as_bytes_equals_switch_url_encode_on_random_values()
    {
        // Short and long values (the encoder works from the stack up to 512 bytes, from a pooled array above),
        // made of the characters whose handling differs: plain, unsafe, '%' with and without hex after it,
        // control bytes, multi-byte UTF-8 and a lone surrogate.
        var random = new Random(7);
        const string Alphabet = "aZ09-_./%%%AFaf \r\n\t#&+:;<=>?@[]^`{|}\"\u007f\u00e9\u20ac\ud83d";
        for (var n = 0; n < 2000; n++)
        {
            var chars = new char[random.Next(0, n % 10 == 0 ? 900 : 40)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[random.Next(Alphabet.Length)];
            }
            var value = new string(chars);
            var writer = new System.Buffers.ArrayBufferWriter<byte>();

            var count = FsUrlEncoder.EncodeTo(value, writer);

            Assert.Equal(ReferenceEncode(value), Encoding.ASCII.GetString(writer.WrittenSpan));
            Assert.Equal(writer.WrittenCount, count);
            Assert.Equal(ReferenceEncode(value), FsUrlEncoder.Encode(value));
        }
    }

    [Fact]
    public void Frame_is_built_once_per_format_and_again_when_the_event_changes()
    {
        var e = new SimEvent("X").Add("Event-Name", "X").Add("A", "1 2");

        var plain = EventSerializer.Frame(e, EventFormat.Plain);
        var json = EventSerializer.Frame(e, EventFormat.Json);

        Assert.Same(plain, EventSerializer.Frame(e, EventFormat.Plain));
        Assert.Same(json, EventSerializer.Frame(e, EventFormat.Json));
        Assert.Equal("Content-Length: 24\nContent-Type: text/event-plain\n\nEvent-Name: X\nA: 1%202\n\n", Encoding.UTF8.GetString(plain));
        e.Add("B", "b");
        Assert.EndsWith("A: 1%202\nB: b\n\n", Encoding.UTF8.GetString(EventSerializer.Frame(e, EventFormat.Plain)), StringComparison.Ordinal);
        e.Body = "hi";
        Assert.EndsWith("B: b\nContent-Length: 2\n\nhi", Encoding.UTF8.GetString(EventSerializer.Frame(e, EventFormat.Plain)), StringComparison.Ordinal);
    }

    // switch_url_encode spelled out byte by byte, as the C loop reads: the oracle for the encoder's fast paths.
    private static string ReferenceEncode(string value)
    {
        const string Unsafe = "\r\n #%&+:;<=>?@[\\]^`{|}\"";
        const string Hex = "0123456789ABCDEF";
        var bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder();
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var keep = b == (byte)'%' && bytes.Length - 1 - i > 1 && Hex.Contains((char)bytes[i + 1], StringComparison.Ordinal)
                && Hex.Contains((char)bytes[i + 2], StringComparison.Ordinal);
            if (!keep && (b < 0x20 || b > 0x7E || Unsafe.Contains((char)b, StringComparison.Ordinal)))
            {
                sb.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0x0F]);
            }
            else
            {
                sb.Append((char)b);
            }
        }
        return sb.ToString();
    }
}
