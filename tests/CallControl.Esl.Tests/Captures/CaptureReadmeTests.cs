using CallControl.Esl.Protocol;

namespace CallControl.Esl.Tests.Captures;

/// <summary>
/// Every real FreeSWITCH stream decodes, and what it decodes to agrees with the recorders' README: frame counts per
/// Content-Type, replies in order, each channel's events in order with its hangup, BACKGROUND_JOB results.
/// </summary>
public sealed class CaptureReadmeTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var path in CaptureFiles.ServerStreams())
        {
            data.Add(CaptureFiles.ScenarioName(path));
        }

        return data;
    }

    [Fact]
    public void Captures_folder_holds_a_server_stream_for_every_readme_scenario()
    {
        var streams = CaptureFiles.ServerStreams().Select(CaptureFiles.ScenarioName).Order(StringComparer.Ordinal).ToList();
        var described = CaptureReadme.Scenarios.Keys.Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(streams);
        Assert.Equal(described, streams);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Server_stream_decodes_to_the_frames_the_readme_counts(string scenario)
    {
        var bytes = CaptureFiles.ServerStream(scenario);
        var expected = CaptureReadme.Scenarios[scenario];

        var frames = CaptureDecoding.DecodeAll(bytes);

        Assert.Equal(expected.Bytes, bytes.Length);
        Assert.Equal(expected.Frames, frames.Count);
        var byType = frames.GroupBy(f => f.ContentType ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.FramesByContentType.OrderBy(p => p.Key, StringComparer.Ordinal), byType.OrderBy(p => p.Key, StringComparer.Ordinal));

        // Frames tile the stream: each starts where the previous ended, the last ends at the last byte.
        var position = 0L;
        foreach (var frame in frames)
        {
            Assert.Equal(position, frame.Offset);
            position += frame.Length;
        }

        Assert.Equal(bytes.Length, position);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Replies_arrive_in_the_order_the_readme_lists(string scenario)
    {
        var frames = CaptureDecoding.DecodeAll(CaptureFiles.ServerStream(scenario));

        var replies = frames
            .Where(f => f.Kind is EslFrameKind.CommandReply or EslFrameKind.ApiResponse)
            .Select(f => f.Kind == EslFrameKind.ApiResponse
                ? "api: " + Summary(f.Body, 70)
                : Summary((f.Event is { } connect ? connect["Reply-Text"] : f.ReplyText) ?? "", 70))
            .ToList();

        Assert.Equal(CaptureReadme.Scenarios[scenario].Replies, replies);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Channel_events_arrive_in_the_order_the_readme_lists_with_its_hangup(string scenario)
    {
        var expected = CaptureReadme.Scenarios[scenario];
        var events = PlainEvents(scenario);

        var channelIds = events.Select(e => e["Unique-ID"]).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected.Channels.Select(c => c.UniqueId).Order(StringComparer.Ordinal), channelIds);
        foreach (var channel in expected.Channels)
        {
            var own = events.Where(e => e["Unique-ID"] == channel.UniqueId).ToList();
            Assert.Equal(channel.Events, own.Select(e => e.DisplayName));
            Assert.Equal(channel.ChannelName, own[0]["Channel-Name"]);

            var hangup = own.Last(e => e.Name == "CHANNEL_HANGUP_COMPLETE");
            Assert.Equal(channel.HangupCause, hangup["Hangup-Cause"]);
            Assert.Equal(channel.SipTermStatus, hangup["variable_sip_term_status"] ?? "-");
            Assert.Equal(channel.Billsec, hangup["variable_billsec"]);
            Assert.Equal(channel.Disposition, hangup["variable_sip_hangup_disposition"] ?? hangup["variable_verto_hangup_disposition"]);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Events_without_a_channel_are_the_ones_the_readme_counts(string scenario)
    {
        var counts = PlainEvents(scenario)
            .Where(e => e["Unique-ID"] is null)
            .GroupBy(e => e.Name ?? "")
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(
            CaptureReadme.Scenarios[scenario].EventsWithoutChannel.OrderBy(p => p.Key, StringComparer.Ordinal),
            counts.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Background_jobs_carry_the_results_the_readme_lists(string scenario)
    {
        var jobs = PlainEvents(scenario)
            .Where(e => e.Name == "BACKGROUND_JOB")
            .Select(e => new ReadmeJob(
                e["Job-UUID"]!,
                e["Job-Command"] + " " + Cut(e["Job-Command-Arg"] ?? "", 60),
                Summary(e.Body ?? "", 60)))
            .ToList();

        Assert.Equal(CaptureReadme.Scenarios[scenario].Jobs, jobs);
    }

    private static List<DecodedEvent> PlainEvents(string scenario) =>
        [.. CaptureDecoding.DecodeAll(CaptureFiles.ServerStream(scenario))
            .Where(f => f.Kind == EslFrameKind.EventPlain)
            .Select(f => f.Event!)];

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>How the README quotes a text: its first line, cut at <paramref name="max"/> characters.</summary>
    private static string Summary(string text, int max)
    {
        var line = text.Trim().Split('\n')[0].TrimEnd('\r');
        return line.Length <= max ? line : line[..max];
    }
}
