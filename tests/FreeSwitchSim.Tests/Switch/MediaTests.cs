namespace FreeSwitchSim.Tests.Switch;

/// <summary>Recordings (real WAV files of the recorded length) and timed apps on the fake clock.</summary>
public sealed class MediaTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void Uuid_record_writes_a_valid_wav_of_the_recorded_length(bool stereo, int channels)
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-r1");
        h.Api("uuid_answer", a);
        if (stereo)
        {
            h.Api("uuid_setvar", $"{a} RECORD_STEREO true");
        }
        var path = Path.Combine(h.Options.RecordingsDir, "nested", "r1.wav");
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} start {path}"));
        h.Advance(3500);
        Assert.Equal("+OK Success\n", h.Api("uuid_record", $"{a} stop {path}"));

        var bytes = File.ReadAllBytes(path);
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.Equal("WAVE"u8.ToArray(), bytes[8..12]);
        Assert.Equal(1, BitConverter.ToInt16(bytes, 20));
        Assert.Equal(channels, BitConverter.ToInt16(bytes, 22));
        var rate = BitConverter.ToInt32(bytes, 24);
        Assert.Equal(8000, rate);
        var dataBytes = BitConverter.ToInt32(bytes, 40);
        Assert.Equal(bytes.Length - 44, dataBytes);
        Assert.Equal(3500, dataBytes / (channels * 2) * 1000 / rate);
        var stop = h.Last(a, "RECORD_STOP");
        Assert.Equal(path, stop.Get("Record-File-Path"));
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), stop.Get("variable_record_file_size"));
        Assert.Equal("3500", stop.Get("variable_record_ms"));
    }

    [Fact]
    public void Playback_of_a_tone_takes_its_duration_on_the_clock()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-p1");
        h.Execute(a, "answer", null);
        h.Execute(a, "playback", "tone_stream://%(1000,500,440);loops=2", Guid.NewGuid().ToString());
        h.Advance(2990);
        Assert.DoesNotContain(h.Events, e => e.UniqueId == a && e.Name == "CHANNEL_EXECUTE_COMPLETE" && e.Get("Application") == "playback");
        h.Advance(20);
        var done = h.Last(a, "CHANNEL_EXECUTE_COMPLETE");
        Assert.Equal("playback", done.Get("Application"));
        Assert.Equal("FILE PLAYED", done.Get("Application-Response"));
    }

    [Fact]
    public void Ring_timeout_of_thirty_seconds_takes_no_wall_time()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-t1");
        var b = Guid.NewGuid().ToString();
        h.Execute(a, "bridge", $"{{origination_uuid={b},originate_timeout=30}}sofia/gateway/carrier_noanswer/+15552220001");
        h.Advance(29_000);
        Assert.True(h.Switch.ChannelExists(b));
        h.Advance(1_100);
        Assert.False(h.Switch.ChannelExists(b));
        Assert.Equal("NO_ANSWER", h.Last(b, "CHANNEL_HANGUP_COMPLETE").Get("Hangup-Cause"));
        Assert.Equal("NO_ANSWER", h.Last(a, "CHANNEL_EXECUTE_COMPLETE").Get("variable_originate_disposition"));
    }
}
