using System.Net;
using System.Net.Sockets;
using System.Text;
using CallControl.Esl.Connection;
using CallControl.Esl.Outbound;
using CallControl.Esl.Tests.Support;

namespace CallControl.Esl.Tests.Outbound;

public sealed class EslOutboundListenerTests
{
    private sealed record Outcome(
        string UniqueId, string Control, string SocketMode, string? RoomVariable, string? RoomId, string? Missing,
        EslExecuteResult Answer, EslExecuteResult Playback, EslExecuteResult Set, string Notice, bool SawHangupCompleteAfterLinger);

    [Fact]
    public async Task Session_replayed_from_outbound_capture_connects_gets_vars_and_correlates_execute_completions()
    {
        var serverRaw = await File.ReadAllBytesAsync(CaptureLocator.File("outbound-socket.server.raw"));
        var clientRaw = await File.ReadAllBytesAsync(CaptureLocator.File("outbound-socket.client.raw"));
        var outcome = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = new EslOutboundListener(new EslOutboundOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }, async (session, ct) =>
        {
            try
            {
                await session.MyEventsAsync(ct);
                await session.LingerAsync(cancellationToken: ct);
                var roomId = await session.GetVarAsync("room_id", ct);
                var missing = await session.GetVarAsync("nosuchvariable", ct);
                var answer = await session.ExecuteAsync("answer", cancellationToken: ct);
                var playback = await session.ExecuteAsync("playback", "tone_stream://%(300,200,440);loops=2", eventLock: true, ct);
                var set = await session.ExecuteAsync("set", "x_note=long value with spaces, commas | pipes", cancellationToken: ct);
                await session.HangupAsync(cancellationToken: ct);
                var notice = await session.Connection.DisconnectNotice.WaitAsync(FakeEslSession.Timeout, ct);
                var sawHangupComplete = false;
                while (!sawHangupComplete && await session.Events.WaitToReadAsync(ct))
                {
                    using var ev = await session.Events.ReadAsync(ct);
                    sawHangupComplete = ev.EventName == "CHANNEL_HANGUP_COMPLETE" && session.Connection.IsLingering;
                }

                await session.ExitAsync(ct);
                outcome.TrySetResult(new Outcome(session.UniqueId, session.Control, session.SocketMode, session.GetVariable("room_id"),
                    roomId, missing, answer, playback, set, notice, sawHangupComplete));
            }
            catch (Exception e)
            {
                outcome.TrySetException(e);
                throw;
            }
        });
        listener.Start();

        var received = await CaptureReplay.PlayOutboundAsync(listener.LocalEndpoint, serverRaw, clientRaw);
        var result = await outcome.Task.WaitAsync(FakeEslSession.Timeout);

        Assert.Equal(
            ["connect", "myevents", "linger", "getvar room_id", "getvar nosuchvariable", "sendmsg", "sendmsg", "sendmsg", "sendmsg", "exit"],
            received.Select(c => c.Line));
        Assert.Equal("e3c5cd14-0484-447b-b617-e9a1be9317de", result.UniqueId);
        Assert.Equal("full", result.Control);
        Assert.Equal("async", result.SocketMode);
        Assert.Equal("o1", result.RoomVariable);
        Assert.Equal("o1", result.RoomId);
        Assert.Null(result.Missing);
        Assert.Equal("answer", result.Answer.Application);
        Assert.Equal("FILE PLAYED", result.Playback.Response);
        Assert.Equal("set", result.Set.Application);
        Assert.Equal("x_note=long value with spaces, commas | pipes", result.Set.ApplicationData);
        Assert.Equal("linger", result.Notice);
        Assert.True(result.SawHangupCompleteAfterLinger);
        Assert.Equal("hangup", received[8].Header("call-command"));
        Assert.Equal("NORMAL_CLEARING", received[8].Header("hangup-cause"));
    }

    [Fact]
    public async Task Single_channel_session_refuses_full_only_commands_locally_with_nothing_written()
    {
        var serverRaw = await File.ReadAllBytesAsync(CaptureLocator.File("outbound-socket.server.raw"));
        var connectReply = CaptureReplay.SplitFrames(serverRaw)[0].Text
            .Replace("Socket-Mode: async\n", "Socket-Mode: static\n", StringComparison.Ordinal)
            .Replace("Control: full\n", "Control: single-channel\n", StringComparison.Ordinal);
        var refusals = new TaskCompletionSource<List<Exception>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = new EslOutboundListener(new EslOutboundOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }, async (session, ct) =>
        {
            var errors = new List<Exception>();
            foreach (var attempt in new Func<Task>[]
            {
                () => session.ApiAsync("status", cancellationToken: ct),
                () => session.BgApiAsync("status", cancellationToken: ct),
                () => session.SubscribeAsync(["ALL"], ct),
                () => session.LingerAsync(cancellationToken: ct),
                () => session.LogAsync("7", ct),
            })
            {
                try
                {
                    await attempt();
                }
                catch (InvalidOperationException e)
                {
                    errors.Add(e);
                }
            }

            await session.GetVarAsync("room_id", ct);
            refusals.TrySetResult(errors);
        });
        listener.Start();

        using var client = new TcpClient();
        await client.ConnectAsync(listener.LocalEndpoint);
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        var connect = await WireCommand.ReadAsync(stream, cts.Token);
        await stream.WriteAsync(Encoding.Latin1.GetBytes(connectReply), cts.Token);
        var next = await WireCommand.ReadAsync(stream, cts.Token);
        await stream.WriteAsync("Content-Type: command/reply\nReply-Text: o1\n\n"u8.ToArray(), cts.Token);

        var errors = await refusals.Task.WaitAsync(FakeEslSession.Timeout);
        Assert.Equal("connect", connect!.Line);
        Assert.Equal("getvar room_id", next!.Line);
        Assert.Equal(5, errors.Count);
        Assert.All(errors, e => Assert.Contains("without 'full'", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handler_failure_ends_only_its_session_and_the_listener_keeps_accepting()
    {
        var serverRaw = await File.ReadAllBytesAsync(CaptureLocator.File("outbound-socket.server.raw"));
        var connectReply = Encoding.Latin1.GetBytes(CaptureReplay.SplitFrames(serverRaw)[0].Text);
        var calls = 0;
        await using var listener = new EslOutboundListener(new EslOutboundOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0) }, (session, ct) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("handler bug");
        });
        listener.Start();

        for (var i = 0; i < 2; i++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(listener.LocalEndpoint);
            var stream = client.GetStream();
            using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
            await WireCommand.ReadAsync(stream, cts.Token);
            await stream.WriteAsync(connectReply, cts.Token);
            // The session is closed after the handler throws: the read sees the end of the stream.
            Assert.Null(await WireCommand.ReadAsync(stream, cts.Token));
        }

        Assert.Equal(2, calls);
    }
}
