using CallControl.Esl.Commands;
using CallControl.Esl.Connection;
using CallControl.Esl.Tests.Support;

namespace CallControl.Esl.Tests.Connection;

public sealed class EslConnectionCommandTests
{
    [Fact]
    public async Task ApiAsync_many_concurrent_callers_each_get_their_own_reply()
    {
        await using var pair = await ConnectedPair.StartAsync();
        // The fake answers strictly in order, echoing the command: a mismatch means queue order != wire order.
        var answering = FakeResponder.AnswerAllAsync(pair.Session);
        var callers = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var mismatches = 0;
            for (var i = 0; i < 50; i++)
            {
                var arg = $"t{t}-i{i}";
                var result = await pair.Connection.ApiAsync("echo", arg);
                if (result.Text != $"+OK echo {arg}\n")
                {
                    mismatches++;
                }
            }

            return mismatches;
        })).ToArray();

        var mismatches = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(mismatches, m => Assert.Equal(0, m));
        Assert.Equal(400, pair.Session.Received.Count(c => c.Name == "api"));
    }

    [Fact]
    public async Task ApiAsync_err_body_is_a_failed_result_with_freeswitch_text()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var call = pair.Connection.ApiAsync("nosuchcommand");
        await pair.Session.ReadCommandAsync();
        await pair.Session.ApiResponseAsync("-ERR nosuchcommand Command not found!\n");

        var result = await call;

        Assert.False(result.Ok);
        Assert.Equal("-ERR nosuchcommand Command not found!\n", result.Text);
        var error = Assert.Throws<EslCommandException>(() => result.EnsureOk("api nosuchcommand"));
        Assert.StartsWith("-ERR nosuchcommand", error.ReplyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BgApiAsync_completes_when_background_job_arrives_before_or_after_the_reply(bool eventFirst)
    {
        await using var pair = await ConnectedPair.StartAsync();
        var call = pair.Connection.BgApiAsync("status");
        var subscribe = await pair.Session.ReadCommandAsync();
        await pair.Session.ReplyAsync("+OK event listener enabled plain");
        var bgapi = await pair.Session.ReadCommandAsync();
        var job = bgapi.Header("Job-UUID")!;
        var reply = $"Content-Type: command/reply\nReply-Text: +OK Job-UUID: {job}\nJob-UUID: {job}\n\n";
        var ev = FakeEslSession.PlainEvent(FakeResponder.BackgroundJob(job, "status"), "UP 0 years\n");

        await pair.Session.SendRawAsync(eventFirst ? ev + reply : reply + ev);
        var result = await call.WaitAsync(FakeEslSession.Timeout);

        Assert.Equal("event plain BACKGROUND_JOB", subscribe.Line);
        Assert.Equal("bgapi status", bgapi.Line);
        Assert.True(Guid.TryParse(job, out _));
        Assert.True(result.Ok);
        Assert.Equal("UP 0 years\n", result.Text);
    }

    [Fact]
    public async Task BgApiAsync_err_body_in_background_job_is_a_failed_result()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var call = pair.Connection.BgApiAsync("originate", "sofia/gateway/carrier_busy/+15550001111 &park()");
        await pair.Session.ReadCommandAsync();
        await pair.Session.ReplyAsync("+OK event listener enabled plain");
        var bgapi = await pair.Session.ReadCommandAsync();
        var job = bgapi.Header("Job-UUID")!;
        await pair.Session.SendRawAsync($"Content-Type: command/reply\nReply-Text: +OK Job-UUID: {job}\nJob-UUID: {job}\n\n");
        await pair.Session.EventAsync(FakeResponder.BackgroundJob(job, "originate"), "-ERR NORMAL_TEMPORARY_FAILURE\n");

        var result = await call.WaitAsync(FakeEslSession.Timeout);

        Assert.False(result.Ok);
        Assert.Equal("NORMAL_TEMPORARY_FAILURE", result.Value);
    }

    [Fact]
    public async Task BgApiAsync_with_a_unique_id_filter_adds_a_background_job_filter_first_and_completes()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var answering = FakeResponder.AnswerAllAsync(pair.Session);
        await pair.Connection.SubscribeAsync(["CHANNEL_ANSWER", "BACKGROUND_JOB"]);
        await pair.Connection.FilterAsync("Unique-ID", "1670bdc0-84a1-473c-8bdd-4f9e80f73e65");

        var result = await pair.Connection.BgApiAsync("status").WaitAsync(FakeEslSession.Timeout);

        var lines = pair.Session.Received.Select(c => c.Line).ToList();
        var filter = lines.IndexOf("filter Event-Name BACKGROUND_JOB");
        Assert.True(filter >= 0, string.Join(" | ", lines));
        Assert.True(filter < lines.FindIndex(l => l.StartsWith("bgapi", StringComparison.Ordinal)));
        Assert.True(result.Ok);
        Assert.True(pair.Connection.Subscriptions.ReceivesBackgroundJobs);
    }

    [Fact]
    public async Task ApiAsync_cr_lf_in_argument_is_rejected_and_nothing_is_written()
    {
        await using var pair = await ConnectedPair.StartAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => pair.Connection.ApiAsync("status", "x\n\nexit"));
        await Assert.ThrowsAsync<ArgumentException>(() => pair.Connection.HangupAsync("abc\rdef"));
        var next = pair.Connection.ApiAsync("status");
        var first = await pair.Session.ReadCommandAsync();
        await pair.Session.ApiResponseAsync("UP\n");
        await next;

        Assert.Contains("LF", error.Message, StringComparison.Ordinal);
        Assert.Equal("api status", first.Line);
        Assert.Equal(2, pair.Session.Received.Count);
    }

    [Fact]
    public async Task SendCommandAsync_accepted_subscriptions_are_recorded_refused_ones_are_not()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var call = pair.Connection.SendCommandAsync(EslCommands.Log("nosuchlevel"));
        await pair.Session.ReadCommandAsync();
        await pair.Session.ReplyAsync("-ERR invalid log level");
        var refused = await call;
        var answering = FakeResponder.AnswerAllAsync(pair.Session);
        await pair.Connection.SubscribeAsync(["CHANNEL_CREATE"]);

        Assert.False(refused.Ok);
        Assert.Equal(["event plain CHANNEL_CREATE"], pair.Connection.Subscriptions.ReplayCommands().Select(c => c.Line));
    }

    [Fact]
    public async Task BgApiAsync_in_json_format_takes_the_result_from_the_json_body()
    {
        await using var pair = await ConnectedPair.StartAsync(o => o.EventFormat = EslEventEncoding.Json);
        var call = pair.Connection.BgApiAsync("status");
        var subscribe = await pair.Session.ReadCommandAsync();
        await pair.Session.ReplyAsync("+OK event listener enabled json");
        var bgapi = await pair.Session.ReadCommandAsync();
        var job = bgapi.Header("Job-UUID")!;
        var json = $"{{\"Event-Name\":\"BACKGROUND_JOB\",\"Job-UUID\":\"{job}\",\"Job-Command\":\"status\",\"Content-Length\":\"5\",\"_body\":\"UP 0\\n\"}}";
        await pair.Session.SendRawAsync($"Content-Type: command/reply\nReply-Text: +OK Job-UUID: {job}\nJob-UUID: {job}\n\n");
        await pair.Session.SendRawAsync($"Content-Length: {System.Text.Encoding.UTF8.GetByteCount(json)}\nContent-Type: text/event-json\n\n{json}");

        var result = await call.WaitAsync(FakeEslSession.Timeout);

        Assert.Equal("event json BACKGROUND_JOB", subscribe.Line);
        Assert.Equal("UP 0\n", result.Text);
    }
}
