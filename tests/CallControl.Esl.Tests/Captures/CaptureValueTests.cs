using System.Text;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Tests.Captures;

/// <summary>Specific values in the real captures that are easy to decode wrongly.</summary>
public sealed class CaptureValueTests
{
    [Fact]
    public void Originate_note_100_percent_41_arrives_unencoded_and_decodes_to_100A()
    {
        // uuid_setvar note '100%41 done': switch_url_encode leaves "%41" alone (already a %XX), so the plain value is
        // "100%41%20done" and decoding cannot tell it from an encoded 'A'. The encoding is lossy; we decode as FreeSWITCH does.
        var events = PlainEvents("originate").Where(e => e.HasHeader("variable_note")).ToList();
        try
        {
            Assert.NotEmpty(events);
            foreach (var ev in events)
            {
                Assert.Equal("100%41%20done", Encoding.UTF8.GetString(ev.GetRawHeader("variable_note")));
                Assert.Equal("100A done", ev.GetVariable("note"));
                Assert.Equal(0, ev.DecodeProblems);
            }
        }
        finally
        {
            events.ForEach(e => e.Dispose());
        }
    }

    [Fact]
    public void Originate_api_reply_body_is_raw_text_not_percent_decoded()
    {
        var frames = CaptureDecoding.DecodeAll(CaptureFiles.ServerStream("originate"));

        var bodies = frames.Where(f => f.Kind == EslFrameKind.ApiResponse).Select(f => f.Body).ToList();

        Assert.Contains("100%41 done", bodies);
        Assert.DoesNotContain("100A done", bodies);
    }

    [Fact]
    public void NonAscii_caller_name_decodes_from_percent_encoded_utf8()
    {
        var create = Single("non-ascii", "CHANNEL_CREATE");

        Assert.Equal("Zo%C3%AB%20%E6%B5%8B%E8%AF%95", Encoding.UTF8.GetString(create.GetRawHeader("Caller-Caller-ID-Name")));
        Assert.Equal("Zoë 测试", create["Caller-Caller-ID-Name"]);
        Assert.Equal("\"Zoë 测试\" <sip:zoe@127.0.0.1:5070>;tag=28886SIPpTag001", create.GetVariable("sip_full_from"));
        Assert.Equal(0, create.DecodeProblems);
    }

    [Fact]
    public void NonAscii_note_with_bad_percent_sequence_is_sent_encoded_and_decodes_without_problems()
    {
        // uuid_setvar note '50%25 café %zz': "%25" is kept (already %XX), "%zz" is not a %XX so its '%' is encoded as
        // %25. The plain value decodes to "50% café %zz": the original "%25" is lost, nothing is malformed.
        var hangup = Single("non-ascii", "CHANNEL_HANGUP_COMPLETE");

        Assert.Equal("50%25%20caf%C3%A9%20%25zz", Encoding.UTF8.GetString(hangup.GetRawHeader("variable_note")));
        Assert.Equal("50% café %zz", hangup.GetVariable("note"));
        Assert.Equal(0, hangup.DecodeProblems);
    }

    [Fact]
    public void NonAscii_uuid_dump_json_keeps_the_value_as_set_including_the_bad_percent_sequence()
    {
        // JSON serialisation is not percent-encoded: the api body of `uuid_dump A json` carries the value verbatim.
        var dump = CaptureDecoding.DecodeAll(CaptureFiles.ServerStream("non-ascii"))
            .Single(f => f.Kind == EslFrameKind.ApiResponse && f.Body.StartsWith('{'));

        using var ev = EslEvent.ParseJson(Encoding.UTF8.GetBytes(dump.Body));

        Assert.Equal("CHANNEL_DATA", ev.EventName);
        Assert.Equal("50%25 café %zz", ev.GetVariable("note"));
        Assert.Equal("Zoë 测试", ev["Caller-Caller-ID-Name"]);
        Assert.Equal(["room-n1", "n1"], ev.GetArray("variable_DP_MATCH"));
    }

    [Fact]
    public void Originate_repeated_headers_in_either_case_are_all_kept_in_order()
    {
        // A CODEC event carries Channel-Read-Codec-Name and, later, channel-read-codec-name.
        var codec = PlainEvents("originate").First(e => e.EventName == "CODEC");
        using (codec)
        {
            var names = codec.Headers.Select(h => h.Key).Where(n => n.Equals("Channel-Read-Codec-Name", StringComparison.OrdinalIgnoreCase)).ToList();

            Assert.Equal(["Channel-Read-Codec-Name", "channel-read-codec-name"], names);
            Assert.Equal(["PCMU", "PCMU"], codec.GetAll("channel-read-codec-name"));
        }
    }

    [Fact]
    public void Originate_busy_leg_hangup_complete_has_user_busy_486_and_repeats_hangup_cause()
    {
        var hangup = PlainEvents("originate").Single(e => e.EventName == "CHANNEL_HANGUP_COMPLETE" && e.UniqueId == "96662c65-3a4e-4f36-9f54-55140f7c6468");
        using (hangup)
        {
            Assert.Equal("USER_BUSY", hangup.HangupCause);
            Assert.Equal("486", hangup.GetVariable("sip_term_status"));
            Assert.Equal(["USER_BUSY", "USER_BUSY"], hangup.GetAll("Hangup-Cause"));
        }
    }

    [Fact]
    public void Commands_background_job_body_is_exactly_its_inner_content_length()
    {
        var job = PlainEvents("commands").Single(e => e.JobUuid == "1f576e9b-b73a-4066-a4c7-695b9d6f9b37");
        using (job)
        {
            Assert.Equal("BACKGROUND_JOB", job.EventName);
            Assert.Equal("originate", job["Job-Command"]);
            Assert.Equal("sofia/gateway/carrier_busy/+15550001111 &park()", job["Job-Command-Arg"]);
            Assert.Equal("30", job["Content-Length"]);
            Assert.Equal("-ERR NORMAL_TEMPORARY_FAILURE\n", job.Body);
            Assert.Equal(30, job.BodyBytes.Length);
        }
    }

    [Fact]
    public void Commands_log_data_frame_keeps_its_envelope_and_text()
    {
        var log = CaptureDecoding.DecodeAll(CaptureFiles.ServerStream("commands")).Single(f => f.Kind == EslFrameKind.LogData);

        Assert.Equal("log/data", log.ContentType);
        Assert.Null(log.Event);
        Assert.Equal("2026-11-26 15:41:48.633093 99.23% [INFO] switch_time.c:1436 Timezone reloaded 597 definitions\n", log.Body);
    }

    [Fact]
    public void AuthFail_ends_with_invalid_then_a_disconnect_notice()
    {
        var frames = CaptureDecoding.DecodeAll(CaptureFiles.ServerStream("auth-fail"));

        Assert.Equal([EslFrameKind.AuthRequest, EslFrameKind.CommandReply, EslFrameKind.DisconnectNotice], frames.Select(f => f.Kind));
        Assert.Equal("-ERR invalid", frames[1].ReplyText);
        Assert.Equal("Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n", frames[2].Body);
    }

    internal static List<EslEvent> PlainEvents(string scenario) =>
        [.. EslStreamDecoder.DecodeAll(CaptureFiles.ServerStream(scenario))
            .Where(f => f.Kind == EslFrameKind.EventPlain || Dispose(f))
            .Select(f => EslEvent.FromFrame(f))];

    private static EslEvent Single(string scenario, string eventName)
    {
        var events = PlainEvents(scenario);
        var match = events.Single(e => e.EventName == eventName);
        events.Where(e => !ReferenceEquals(e, match)).ToList().ForEach(e => e.Dispose());
        return match;
    }

    private static bool Dispose(EslFrame frame)
    {
        frame.Dispose();
        return false;
    }
}
