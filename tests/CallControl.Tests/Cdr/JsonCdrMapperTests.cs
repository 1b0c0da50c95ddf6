using System.Text;
using System.Text.Json;
using CallControl.Cdr;
using CallControl.Data;

namespace CallControl.Tests.Cdr;

/// <summary>json_cdr → leg row, against the POSTs real FreeSWITCH 1.10.12 made (json_cdr/*.post.txt).</summary>
public sealed class JsonCdrMapperTests
{
    public static TheoryData<string> Posts() => new(Captures.JsonCdrPosts());

    [Theory]
    [MemberData(nameof(Posts))]
    public void Map_every_captured_post_yields_its_leg_with_the_cdr_facts(string name)
    {
        var post = Captures.JsonCdrPost(name);
        using var doc = JsonDocument.Parse(post.Body);
        var vars = doc.RootElement.GetProperty("variables");

        var result = JsonCdrMapper.Map(post.Body, post.Uuid);

        Assert.Null(result.Error);
        var leg = result.Leg!;
        Assert.Equal(Guid.Parse(post.Uuid), leg.LegUuid);
        Assert.Equal(LegSource.JsonCdr, leg.Source);
        Assert.Equal(vars.GetProperty("hangup_cause").GetString(), leg.HangupCause);
        Assert.Equal(int.Parse(vars.GetProperty("billsec").GetString()!, System.Globalization.CultureInfo.InvariantCulture), leg.Billsec);
        Assert.Equal(Uri.UnescapeDataString(vars.GetProperty("channel_name").GetString()!), leg.ChannelName);
        Assert.NotNull(leg.StartAt);
        Assert.NotNull(leg.EndAt);
        Assert.True(leg.EndAt >= leg.StartAt);
        Assert.Equal(vars.GetProperty("answer_uepoch").GetString() == "0", leg.AnswerAt is null);
        // The whole document is kept, and the variables are stored decoded.
        Assert.Equal(post.Body.Length, Encoding.UTF8.GetByteCount(leg.JsonCdr!));
        using var stored = JsonDocument.Parse(leg.Variables!);
        Assert.Equal(leg.LegUuid.ToString(), stored.RootElement.GetProperty("uuid").GetString());
    }

    [Fact]
    public void Map_answered_app_leg_decodes_values_and_reads_times_codecs_and_room()
    {
        var post = Captures.JsonCdrPost("caps-v3-002.post.txt");

        var result = JsonCdrMapper.Map(post.Body, post.Uuid);

        var leg = result.Leg!;
        // encode-values=true: "sofia/external/bob%40127.0.0.1%3A5072" on the wire.
        Assert.Equal("sofia/external/bob@127.0.0.1:5072", leg.ChannelName);
        Assert.Equal("inbound", leg.Direction);
        Assert.Equal(FreeSwitchTime.FromMicroseconds(1795707749653074), leg.StartAt);
        Assert.Equal(FreeSwitchTime.FromMicroseconds(1795707750173098), leg.AnswerAt);
        Assert.Equal(FreeSwitchTime.FromMicroseconds(1795707750173098), leg.ProgressMediaAt);
        Assert.Null(leg.ProgressAt); // progress_uepoch=0: never
        Assert.Equal(FreeSwitchTime.FromMicroseconds(1795707754273079), leg.EndAt);
        Assert.Equal(5, leg.Duration);
        Assert.Equal(4, leg.Billsec);
        Assert.Equal("NORMAL_CLEARING", leg.HangupCause);
        Assert.Equal("PCMU", leg.ReadCodec);
        Assert.Equal("PCMU", leg.WriteCodec);
        Assert.Equal("a1", result.RoomId);
        // The test bed's x_call_id "c-a1" is not one of our call ids (UUIDs): kept as text, no call link.
        Assert.Equal("c-a1", result.CallIdText);
        Assert.Null(leg.CallId);
    }

    [Fact]
    public void Map_failed_carrier_leg_keeps_sip_term_status_and_no_answer_time()
    {
        var post = Captures.JsonCdrPost("caps-v3-001.post.txt");

        var leg = JsonCdrMapper.Map(post.Body, post.Uuid).Leg!;

        Assert.Equal("NORMAL_TEMPORARY_FAILURE", leg.HangupCause);
        Assert.Equal("503", leg.SipTermStatus);
        Assert.Equal("sofia/external/+15550001111", leg.ChannelName);
        Assert.Equal("outbound", leg.Direction);
        Assert.Null(leg.AnswerAt);
        Assert.Equal(0, leg.Billsec);
    }

    [Fact]
    public void Map_our_variables_give_call_id_room_and_role()
    {
        var callId = Guid.NewGuid();
        var legUuid = Guid.NewGuid();
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"variables":{"uuid":"{{{legUuid}}}","x_call_id":"{{{callId}}}","x_room_id":"r%2D42","room_id":"other","x_leg_role":"callee"}}""");

        var result = JsonCdrMapper.Map(body, legUuid.ToString());

        Assert.Equal(callId, result.Leg!.CallId);
        Assert.Equal("callee", result.Leg.Role);
        Assert.Equal("r-42", result.RoomId);
    }

    [Fact]
    public void Map_unknown_role_is_left_unknown()
    {
        var legUuid = Guid.NewGuid();
        var body = Encoding.UTF8.GetBytes($$$"""{"variables":{"uuid":"{{{legUuid}}}","x_leg_role":"admin"}}""");

        Assert.Null(JsonCdrMapper.Map(body, null).Leg!.Role);
    }

    [Fact]
    public void Map_form_field_variant_gives_the_same_leg_as_the_bare_document()
    {
        var post = Captures.JsonCdrPost("caps-v3-003.post.txt");
        var form = Encoding.ASCII.GetBytes("cdr=" + Uri.EscapeDataString(Encoding.UTF8.GetString(post.Body)));

        var bare = JsonCdrMapper.Map(post.Body, post.Uuid).Leg!;
        var wrapped = JsonCdrMapper.Map(form, post.Uuid).Leg!;

        Assert.Equal(bare with { JsonCdr = null, Variables = null }, wrapped with { JsonCdr = null, Variables = null });
        Assert.Equal(bare.Variables, wrapped.Variables);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"core-uuid\":\"x\"}")]
    [InlineData("{\"variables\":\"x\"}")]
    [InlineData("{\"variables\":{\"uuid\":\"not-a-uuid\"}}")]
    [InlineData("cdr=%7B")]
    public void Map_malformed_body_is_refused(string body)
    {
        var result = JsonCdrMapper.Map(Encoding.UTF8.GetBytes(body), null);

        Assert.Null(result.Leg);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Fact]
    public void Map_query_uuid_that_differs_from_the_cdr_is_refused()
    {
        var post = Captures.JsonCdrPost("caps-v3-002.post.txt");

        var result = JsonCdrMapper.Map(post.Body, Guid.NewGuid().ToString());

        Assert.Null(result.Leg);
        Assert.Contains("does not match", result.Error, StringComparison.Ordinal);
    }
}
