using System.Globalization;

namespace FreeSwitchSim.Switch;

internal sealed partial class CallEngine
{
    /// <summary>180 Ringing / ring_ready: CHANNEL_PROGRESS, call state RINGING.</summary>
    public void Ring(Channel c)
    {
        if (c.RingSent || c.HangingUp)
        {
            return;
        }
        c.ProgressUs = NowUs();
        Events.Fire(c, "CHANNEL_PROGRESS", CallSites.Progress, vars: true);
        SetCallState(c, "RINGING");
    }

    /// <summary>Media is negotiated: the leg's media variables and the two CODEC events.</summary>
    private void Media(Channel c)
    {
        if (c.HasCodec)
        {
            return;
        }
        ApplyMediaVars(c);
        c.HasCodec = true;
        if (c.IsVerto)
        {
            c.CodecName = "opus";
            c.CodecRate = 48000;
            c.CodecBitRate = 0;
        }
        var rate = c.CodecRate.ToString(CultureInfo.InvariantCulture);
        var bits = c.CodecBitRate.ToString(CultureInfo.InvariantCulture);
        Events.Fire(c, "CODEC", CallSites.CodecReadReal, vars: false, trail: e => e
            .Add("channel-read-codec-name", c.CodecName)
            .Add("channel-read-codec-rate", rate)
            .Add("channel-read-codec-bit-rate", bits));
        Events.Fire(c, "CODEC", CallSites.CodecWrite, vars: false, trail: e => e
            .Add("Channel-Write-Codec-Name", c.CodecName)
            .Add("Channel-Write-Codec-Rate", rate)
            .Add("Channel-Write-codec-bit-rate", bits));
    }

    private static void ApplyMediaVars(Channel c)
    {
        var fill = new Dictionary<string, string>
        {
            ["number"] = c.Profile.DestinationNumber,
            ["cid_number"] = c.Profile.CallerIdNumber,
            ["cid_name"] = c.Profile.CallerIdName,
        };
        switch (c.Kind)
        {
            case LegKind.SipInbound:
                c.Vars.Apply(LegTemplates.SipInboundAnswer, fill);
                break;
            case LegKind.Gateway:
                c.Vars.Apply(LegTemplates.GatewayAnswer, fill);
                break;
            default:
                c.Vars.Apply(LegTemplates.VertoAnswer, fill);
                break;
        }
    }

    /// <summary>switch_channel_mark_pre_answered: 183 with media. CHANNEL_PROGRESS_MEDIA, call state EARLY.</summary>
    public void PreAnswer(Channel c)
    {
        if (c.PreAnswered || c.Answered || c.HangingUp)
        {
            return;
        }
        // An inbound SIP leg sets its codecs before 183 goes out; the carrier's 183 and a verto answer bring
        // media after the progress event (fallback-early-media, verto-room-call).
        var mediaFirst = c.Kind == LegKind.SipInbound;
        if (mediaFirst)
        {
            Media(c);
        }
        c.ProgressMediaUs = NowUs();
        c.AnswerState = "early";
        Events.Fire(c, "CHANNEL_PROGRESS_MEDIA", CallSites.ProgressMedia, vars: true);
        SetCallState(c, "EARLY");
        if (!mediaFirst)
        {
            Media(c);
        }
    }

    /// <summary>switch_channel_mark_answered: inbound legs pass through early media first, as the captures show.</summary>
    public void Answer(Channel c)
    {
        if (c.Answered || c.HangingUp)
        {
            return;
        }
        if (c.Direction == "inbound")
        {
            PreAnswer(c);
        }
        else
        {
            Media(c);
        }
        c.AnsweredUs = NowUs();
        c.AnswerState = "answered";
        if (c.Kind == LegKind.SipInbound)
        {
            c.Vars.Set("endpoint_disposition", "ANSWER");
        }
        Events.Fire(c, "CHANNEL_ANSWER", CallSites.Answer, vars: true);
        Presence(c, "answered", "active");
        SetCallState(c, "ACTIVE");
        if (c.ClientOptions?.AutoHangupMs is int ms)
        {
            After(c, TimeSpan.FromMilliseconds(ms), () => Hangup(c, "NORMAL_CLEARING", remote: true));
        }
    }

    /// <summary>A DTMF digit reaches the leg (from its client, or uuid_recv_dtmf): a DTMF event.</summary>
    public void Dtmf(Channel c, char digit, int durationSamples = 2000, string source = "APP")
    {
        Events.Fire(c, "DTMF", CallSites.Dtmf, vars: false, trail: e => e
            .Add("DTMF-Digit", digit.ToString())
            .Add("DTMF-Duration", durationSamples.ToString(CultureInfo.InvariantCulture))
            .Add("DTMF-Source", source));
    }
}
