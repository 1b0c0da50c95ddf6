using System.Text;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Tests.Captures;

/// <summary>The outbound socket's first frame: the reply to <c>connect</c> is CHANNEL_DATA serialised in the envelope.</summary>
public sealed class OutboundConnectReplyTests
{
    [Fact]
    public void Connect_reply_is_a_command_reply_frame_whose_envelope_is_a_channel_data_event()
    {
        var frame = EslStreamDecoder.DecodeAll(CaptureFiles.ServerStream("outbound-socket")).First();

        Assert.Equal(0, frame.StreamOffset);
        Assert.Equal(EslFrameKind.CommandReply, frame.Kind);
        Assert.True(frame.CarriesEvent);
        Assert.Null(frame.GetHeader("Content-Length"));
        Assert.Equal(0, frame.BodySpan.Length);
        Assert.Equal("%2BOK%0A", frame.ReplyText);
        frame.Dispose();
    }

    [Fact]
    public void Connect_reply_event_has_decoded_values_socket_mode_and_control()
    {
        using var ev = EslEvent.FromFrame(EslStreamDecoder.DecodeAll(CaptureFiles.ServerStream("outbound-socket")).First());

        Assert.Equal(EslEventFormat.ConnectReply, ev.Format);
        Assert.Equal("CHANNEL_DATA", ev.EventName);
        Assert.Equal("+OK\n", ev["Reply-Text"]);
        Assert.Equal("%2BOK%0A", Encoding.UTF8.GetString(ev.GetRawHeader("Reply-Text")));
        Assert.Equal("async", ev["Socket-Mode"]);
        Assert.Equal("full", ev["Control"]);
        Assert.Equal("command/reply", ev["Content-Type"]);
        Assert.Equal("sofia/external/alice@127.0.0.1:5070", ev.ChannelName);
        Assert.Equal("e3c5cd14-0484-447b-b617-e9a1be9317de", ev.UniqueId);
        Assert.Equal("fd00::2", ev["FreeSWITCH-IPv6"]);
        Assert.Equal("o1", ev.GetVariable("room_id"));
        Assert.Equal("127.0.0.1:8084 async full", ev.GetVariable("current_application_data"));
        Assert.Equal(["sock-o1", "o1"], ev.GetArray("variable_DP_MATCH"));
        Assert.Null(ev.Body);
        Assert.Equal(0, ev.DecodeProblems);
    }

    [Fact]
    public void Connect_reply_is_followed_by_ordinary_replies_and_a_linger_notice()
    {
        var frames = CaptureDecoding.DecodeAll(CaptureFiles.ServerStream("outbound-socket"));

        Assert.Equal("+OK Events Enabled", frames[1].ReplyText);
        var notices = frames.Where(f => f.Kind == EslFrameKind.DisconnectNotice).ToList();
        Assert.Equal(2, notices.Count);
        Assert.True(notices[0].Offset < notices[1].Offset);
    }
}
