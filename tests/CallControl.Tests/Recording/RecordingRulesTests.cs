using CallControl.Calls.Recording;

namespace CallControl.Tests.Recording;

/// <summary>The pure parts: which action fits which state, the file names, the Range header.</summary>
public sealed class RecordingRulesTests
{
    private static readonly RecordingPath SomePath = new("/r/a.wav", "a.wav");

    [Theory]
    [InlineData(RecordingAction.Start, null, "start")]
    [InlineData(RecordingAction.Start, RecordingPhase.Recording, null)]
    [InlineData(RecordingAction.Start, RecordingPhase.Paused, null)]
    [InlineData(RecordingAction.Stop, null, null)]
    [InlineData(RecordingAction.Stop, RecordingPhase.Recording, "stop")]
    [InlineData(RecordingAction.Stop, RecordingPhase.Paused, "stop")]
    [InlineData(RecordingAction.Pause, null, null)]
    [InlineData(RecordingAction.Pause, RecordingPhase.Recording, "pause")]
    [InlineData(RecordingAction.Pause, RecordingPhase.Paused, null)]
    [InlineData(RecordingAction.Resume, null, null)]
    [InlineData(RecordingAction.Resume, RecordingPhase.Recording, null)]
    [InlineData(RecordingAction.Resume, RecordingPhase.Paused, "resume")]
    public void Each_action_fits_only_its_states(RecordingAction action, RecordingPhase? phase, string? verb)
    {
        var live = phase is { } p ? new LiveRecording(Guid.NewGuid(), Guid.NewGuid().ToString(), SomePath, p) : null;
        Assert.Equal(verb, RecordingRules.Verb(action, live));
    }

    [Theory]
    [InlineData("start", RecordingAction.Start)]
    [InlineData("stop", RecordingAction.Stop)]
    [InlineData("pause", RecordingAction.Pause)]
    [InlineData("resume", RecordingAction.Resume)]
    [InlineData("mask", null)]
    [InlineData("Start", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("start /etc/passwd", null)]
    public void Only_the_four_actions_parse(string? text, RecordingAction? action) =>
        Assert.Equal(action, RecordingRules.Parse(text));

    [Fact]
    public void Files_are_room_then_call_under_the_nodes_folder()
    {
        var call = Guid.NewGuid();
        var first = RecordingPaths.For("/var/lib/freeswitch/recordings/", "0123456789abcdef", call, 1);
        Assert.Equal($"/var/lib/freeswitch/recordings/0123456789abcdef/{call:D}.wav", first.NodePath);
        Assert.Equal($"0123456789abcdef/{call:D}.wav", first.RelativePath);
        Assert.Equal($"0123456789abcdef/{call:D}-3.wav", RecordingPaths.For("/rec", "0123456789abcdef", call, 3).RelativePath);
    }

    [Theory]
    [InlineData("/rec", "../etc")]
    [InlineData("/rec", "0123456789ABCDEF")]
    [InlineData("/rec", "0123456789abcde f")]
    [InlineData("relative/rec", "0123456789abcdef")]
    [InlineData("/rec with space", "0123456789abcdef")]
    [InlineData("/rec/../etc", "0123456789abcdef")]
    public void Anything_but_a_room_id_and_a_plain_absolute_folder_is_refused(string folder, string room) =>
        Assert.Throws<ArgumentException>(() => RecordingPaths.For(folder, room, Guid.NewGuid(), 1));

    [Theory]
    [InlineData("bytes=0-99", 0L, 99L)]
    [InlineData("bytes=100-", 100L, null)]
    [InlineData("bytes=-50", null, 50L)]
    [InlineData("bytes=5-4", null, null)]
    [InlineData("bytes=0-1,5-6", null, null)]
    [InlineData("items=0-1", null, null)]
    [InlineData("bytes=x-1", null, null)]
    [InlineData("bytes=-0", null, null)]
    [InlineData("", null, null)]
    public void A_single_byte_range_is_served_anything_else_means_the_whole_file(string header, long? first, long? last) =>
        Assert.Equal((first, last), RecordingDownload.ParseRange(header));
}
