using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>uuid_record's actions as mod_commands.c answers them (start, stop, pause, resume, mask, unmask), the
/// paused time left out of record_ms and the file, and the completion cause of a recording a hangup ends.</summary>
public sealed class RecordControlTests
{
    [Fact]
    public void Pause_and_resume_leave_the_paused_time_out_of_record_ms_and_the_wav()
    {
        using var h = new SwitchHarness();
        var (a, _) = Bridged(h);
        h.Api("uuid_setvar", $"{a} RECORD_STEREO true");
        var wav = Path.Combine(h.Options.RecordingsDir, Guid.NewGuid().ToString("N"), "call.wav");
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} start {wav}"));
        h.Advance(2000);
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} pause {wav}"));
        // Pausing a paused bug only sets the flag again: FreeSWITCH says +OK.
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} PAUSE {wav}"));
        h.Advance(5000);
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} resume {wav}"));
        h.Advance(1000);
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} stop {wav}"));

        var stop = h.Last(a, "RECORD_STOP");
        Assert.Equal("3000", stop.Get("variable_record_ms"));
        Assert.Equal("success-maxtime", stop.Get("Record-Completion-Cause"));
        Assert.Equal(wav, stop.Get("Record-File-Path"));
        // 16-bit stereo: 4 bytes a sample frame, after the 44-byte header.
        var rate = int.Parse(stop.Get("variable_record_samples")!, System.Globalization.CultureInfo.InvariantCulture) / 3;
        Assert.Equal(44 + (3L * rate * 4), new FileInfo(wav).Length);
        Assert.DoesNotContain(h.Events, e => e.UniqueId == a && e.Name is "RECORD_PAUSE" or "RECORD_RESUME");
    }

    [Fact]
    public void Actions_on_a_file_the_leg_does_not_record_are_refused_with_freeswitchs_texts()
    {
        using var h = new SwitchHarness();
        var (a, _) = Bridged(h);
        var wav = Path.Combine(h.Options.RecordingsDir, Guid.NewGuid().ToString("N") + ".wav");
        var other = Path.Combine(h.Options.RecordingsDir, "other.wav");

        Assert.Equal("-ERR Cannot stop record session!\n", h.Api("uuid_record", $"{a} stop {wav}"));
        Assert.Equal("-ERR Cannot pause recording session!\n", h.Api("uuid_record", $"{a} pause {wav}"));
        Assert.Equal("-ERR Cannot resume recording session!\n", h.Api("uuid_record", $"{a} resume {wav}"));
        Assert.Equal("-ERR Cannot mask recording session!\n", h.Api("uuid_record", $"{a} mask {wav}"));
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} start {wav}"));
        Assert.Equal("-ERR Cannot pause recording session!\n", h.Api("uuid_record", $"{a} pause {other}"));
        Assert.Equal("-ERR Cannot stop record session!\n", h.Api("uuid_record", $"{a} stop {other}"));
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} mask {wav}"));
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} unmask {wav}"));
        Assert.StartsWith("-USAGE: ", h.Api("uuid_record", $"{a} rewind {wav}"), StringComparison.Ordinal);
        Assert.StartsWith("-USAGE: ", h.Api("uuid_record", $"{a} stop"), StringComparison.Ordinal);
        Assert.Equal("-ERR Cannot locate session!\n", h.Api("uuid_record", $"{Guid.NewGuid()} stop {wav}"));
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} stop all"));
        Assert.Single(h.Events, e => e.UniqueId == a && e.Name == "RECORD_STOP");
    }

    [Fact]
    public void A_hangup_stops_the_recording_with_success_silence()
    {
        using var h = new SwitchHarness();
        var (a, b) = Bridged(h);
        var wav = Path.Combine(h.Options.RecordingsDir, Guid.NewGuid().ToString("N") + ".wav");
        h.Api("uuid_record", $"{a} start {wav}");
        h.Advance(1500);
        h.Api("uuid_kill", $"{b} NORMAL_CLEARING");
        h.Advance(100);

        var stop = h.Last(a, "RECORD_STOP");
        Assert.Equal("success-silence", stop.Get("Record-Completion-Cause"));
        Assert.Equal("1500", stop.Get("variable_record_ms"));
        Assert.True(File.Exists(wav));
    }

    private static (string A, string B) Bridged(SwitchHarness h)
    {
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-r1");
        var b = h.Switch.PlaceSipCall("bob", "Bob", "room-r1");
        h.Api("uuid_answer", b);
        h.Api("uuid_answer", a);
        Assert.Equal($"+OK {b}\n", h.Api("uuid_bridge", $"{a} {b}"));
        return (a, b);
    }
}
