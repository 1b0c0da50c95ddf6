using System.Diagnostics;
using System.Text.Json;
using CallControl.Cli;
using CallControl.Esl.Tests.Captures;
using CallControl.Esl.Tests.Protocol;

namespace CallControl.Esl.Tests.Cli;

/// <summary><c>callcontrol esl decode</c>, run in-process through its entry point, and once as a real process.</summary>
public sealed class EslDecodeCommandTests
{
    [Theory]
    [InlineData("originate")]
    [InlineData("outbound-socket")]
    [InlineData("commands")]
    public async Task Decode_capture_prints_one_json_line_per_frame(string scenario)
    {
        var (code, stdout, stderr) = await RunAsync(["esl", "decode", CaptureFiles.ServerStreamPath(scenario)]);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        var lines = Lines(stdout);
        Assert.Equal(CaptureReadme.Scenarios[scenario].Frames, lines.Count);
        var offset = 0L;
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            Assert.Equal(offset, root.GetProperty("offset").GetInt64());
            offset += root.GetProperty("length").GetInt64();
            Assert.Equal(JsonValueKind.Array, root.GetProperty("headers").ValueKind);
            Assert.Equal(JsonValueKind.String, root.GetProperty("body").ValueKind);
        }

        Assert.Equal(new FileInfo(CaptureFiles.ServerStreamPath(scenario)).Length, offset);
    }

    [Fact]
    public async Task Decode_prints_envelope_pairs_and_the_decoded_event()
    {
        var (_, stdout, _) = await RunAsync(["esl", "decode", CaptureFiles.ServerStreamPath("non-ascii")]);

        var events = Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.TryGetProperty("event", out _)).ToList();
        Assert.Equal(["CHANNEL_CREATE", "CHANNEL_PARK", "CHANNEL_HANGUP_COMPLETE"], events.Select(e => e.GetProperty("event").GetProperty("name").GetString()));

        var create = events[0];
        Assert.Equal("text/event-plain", create.GetProperty("contentType").GetString());
        Assert.Equal("Content-Length", create.GetProperty("headers")[0][0].GetString());
        var headers = create.GetProperty("event").GetProperty("headers").EnumerateArray().Select(p => (p[0].GetString(), p[1].GetString())).ToList();
        Assert.Contains(("Caller-Caller-ID-Name", "Zoë 测试"), headers);
        Assert.Equal("Event-Name", headers[0].Item1);
    }

    [Fact]
    public async Task Decode_outbound_stream_prints_the_connect_reply_as_an_event()
    {
        var (_, stdout, _) = await RunAsync(["esl", "decode", CaptureFiles.ServerStreamPath("outbound-socket")]);

        using var first = JsonDocument.Parse(Lines(stdout)[0]);
        var ev = first.RootElement.GetProperty("event");
        Assert.Equal("connect-reply", ev.GetProperty("format").GetString());
        Assert.Equal("CHANNEL_DATA", ev.GetProperty("name").GetString());
        var headers = ev.GetProperty("headers").EnumerateArray().Select(p => (p[0].GetString(), p[1].GetString())).ToList();
        Assert.Contains(("Reply-Text", "+OK\n"), headers);
        Assert.Contains(("Socket-Mode", "async"), headers);
    }

    [Fact]
    public async Task Decode_truncated_stdin_prints_the_frames_before_then_the_error_offset_and_exits_1()
    {
        var bytes = CaptureFiles.ServerStream("originate");
        var frames = EslStreamDecoderOffsets(bytes);
        var cut = bytes[..(int)(frames[5] + 10)];

        var (code, stdout, stderr) = await RunAsync(["esl", "decode", "-"], cut);

        Assert.Equal(1, code);
        Assert.Equal(5, Lines(stdout).Count);
        Assert.StartsWith($"esl decode: error at byte {frames[5]}: truncated frame", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_garbage_reports_the_offset_of_the_bad_line_and_exits_1()
    {
        var data = TestWire.Concat(TestWire.CommandReply("+OK accepted"), TestWire.Utf8("Content-Type: command/reply\nnot a header\n\n"));

        var (code, stdout, stderr) = await RunAsync(["esl", "decode", "-"], data);

        Assert.Equal(1, code);
        Assert.Single(Lines(stdout));
        var expectedOffset = TestWire.CommandReply("+OK accepted").Length + "Content-Type: command/reply\n".Length;
        Assert.Equal($"esl decode: error at byte {expectedOffset}: header line without a 'Name: value' form", stderr.TrimEnd());
    }

    [Fact]
    public async Task Decode_missing_file_exits_1_with_a_message()
    {
        var (code, stdout, stderr) = await RunAsync(["esl", "decode", Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".raw")]);

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("esl decode: cannot read", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("frobnicate")]
    [InlineData("esl", "decode")]
    [InlineData("esl", "decode", "a", "b")]
    [InlineData("esl", "encode", "x")]
    public async Task Unknown_verb_or_help_prints_usage_on_stderr_and_exits_2(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("usage:", stderr, StringComparison.Ordinal);
        Assert.Contains("esl decode FILE|-", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "serve" }, true)]
    [InlineData(new[] { "serve", "--urls", "http://127.0.0.1:0" }, true)]
    [InlineData(new[] { "esl", "decode", "-" }, false)]
    public void Serve_runs_for_no_arguments_or_serve_only(string[] args, bool serve)
    {
        Assert.Equal(serve, CommandLine.IsServe(args, out var serviceArgs));
        if (serve)
        {
            Assert.Equal(args.Skip(1), serviceArgs);
        }
    }

    [Fact]
    public async Task Callcontrol_process_decodes_a_capture_file()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "callcontrol.dll");
        Assert.True(File.Exists(dll), $"{dll} is built beside the tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "esl", "decode", CaptureFiles.ServerStreamPath("non-ascii") })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(string.Empty, await stderr);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(10, Lines(await stdout).Count);
    }

    private static List<long> EslStreamDecoderOffsets(byte[] bytes) =>
        [.. CaptureDecoding.DecodeAll(bytes).Select(f => f.Offset)];

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, byte[]? stdin = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLine.RunAsync(
            args,
            () => stdin is null ? throw new InvalidOperationException("no stdin in this test") : new MemoryStream(stdin),
            stdout,
            stderr,
            TestWire.Timeout());
        return (code, stdout.ToString(), stderr.ToString());
    }
}
