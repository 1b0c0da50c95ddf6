using System.Text;
using System.Text.RegularExpressions;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>
/// Replays what the client sent in the real "commands" session and compares every reply frame, byte for byte,
/// with what FreeSWITCH 1.10.12 answered (UUIDs FreeSWITCH generated are masked on both sides).
/// </summary>
public sealed partial class CommandsCaptureTests
{
    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    private static string Mask(string s) =>
        Uuid().Replace(s, m => m.Value is "7f4db78a-5f1c-4a1e-9a59-1c6a3c0b8e11" or "00000000-0000-0000-0000-000000000000" ? m.Value : "<uuid>");

    [Fact]
    public async Task Replay_of_commands_capture_gives_the_same_replies_in_order()
    {
        await using var sim = EslHarness.Start();
        var expected = Captures.Frames(Captures.Bytes("commands.server.raw"));
        var expectedReplies = expected.Where(f => f.IsReply || f.ContentType == "auth/request").Select(f => Mask(f.Text)).ToList();

        await using var client = await EslTestClient.ConnectAsync(sim.Port);
        var actual = new List<string> { Mask((await client.ReadFrameAsync()).Text) };
        var others = new List<WireFrame>();
        foreach (var write in Captures.ClientWrites("commands"))
        {
            await client.SendAsync(write);
            actual.Add(Mask((await client.ReadReplyAsync(others)).Text));
        }

        Assert.Equal(expectedReplies.Count, actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.Equal(expectedReplies[i], actual[i]);
        }

        // After "+OK bye": the goodbye notice, byte-exact, then the socket closes.
        var rest = await client.ReadToCloseAsync();
        Assert.Equal(expected[^1].Text, Encoding.UTF8.GetString(rest));
    }

    [Fact]
    public async Task Replay_of_commands_capture_fires_the_same_background_jobs_and_log_frame()
    {
        await using var sim = EslHarness.Start();
        var expected = Captures.Frames(Captures.Bytes("commands.server.raw"));
        await using var client = await EslTestClient.ConnectAsync(sim.Port);
        await client.ReadFrameAsync();
        var others = new List<WireFrame>();
        foreach (var write in Captures.ClientWrites("commands"))
        {
            await client.SendAsync(write);
            await client.ReadReplyAsync(others);
            if (Encoding.Latin1.GetString(write).StartsWith("bgapi", StringComparison.Ordinal))
            {
                // Each bgapi's BACKGROUND_JOB arrives before the next command is sent, as in the capture.
                others.Add(await client.ReadUntilAsync(f => f.ContentType == "text/event-plain"));
            }
        }

        var expectedJobs = expected.Where(f => f.ContentType == "text/event-plain").ToList();
        var actualJobs = others.Where(f => f.ContentType == "text/event-plain").ToList();
        Assert.Equal(expectedJobs.Count, actualJobs.Count);
        for (var i = 0; i < expectedJobs.Count; i++)
        {
            Assert.Equal(HeaderNames(expectedJobs[i].BodyText), HeaderNames(actualJobs[i].BodyText));
            foreach (var name in new[] { "Event-Name", "Job-Command", "Job-Command-Arg", "Event-Calling-File", "Event-Calling-Function", "Event-Calling-Line-Number", "FreeSWITCH-IPv6" })
            {
                Assert.Equal(HeaderValue(expectedJobs[i].BodyText, name), HeaderValue(actualJobs[i].BodyText, name));
            }
        }
        Assert.Equal("7f4db78a-5f1c-4a1e-9a59-1c6a3c0b8e11", HeaderValue(actualJobs[1].BodyText, "Job-UUID"));
        Assert.EndsWith("\n\n-ERR nosuchcommand Command not found!\n", actualJobs[2].BodyText, StringComparison.Ordinal);

        var expectedLog = expected.Single(f => f.ContentType == "log/data");
        var actualLog = others.Single(f => f.ContentType == "log/data");
        Assert.Equal(expectedLog.Headers.Select(h => h.Key), actualLog.Headers.Select(h => h.Key));
        Assert.Equal(expectedLog.Headers.Where(h => h.Key != "Content-Length"), actualLog.Headers.Where(h => h.Key != "Content-Length"));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} \d+\.\d\d% \[INFO\] switch_time\.c:1436 Timezone reloaded 597 definitions\n$", actualLog.BodyText);
    }

    private static List<string> HeaderNames(string body) =>
        body.Split("\n\n")[0].Split('\n').Select(l => l.Split(": ")[0]).ToList();

    private static string? HeaderValue(string body, string name) =>
        body.Split("\n\n")[0].Split('\n').Select(l => l.Split(": ", 2)).FirstOrDefault(p => p[0] == name)?[1];
}
