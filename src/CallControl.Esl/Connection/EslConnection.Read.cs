using System.Buffers;
using System.IO.Pipelines;
using CallControl.Esl.Commands;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Connection;

/// <summary>The read loop: frames out of the pipe, dispatched by kind.</summary>
public sealed partial class EslConnection
{
    private async Task AuthenticateAsync(CancellationToken cancellationToken)
    {
        // The greeting (auth/request) is the first "reply": queue its slot before the read loop starts.
        var greeting = Enqueue("(greeting)");
        Start();
        using (var hello = await WaitReplyAsync(greeting, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false))
        {
            if (hello.Kind != EslFrameKind.AuthRequest)
            {
                throw new EslConnectionException(EslFailureKind.ProtocolError, $"FreeSWITCH at {_node} greeted with {hello.ContentType ?? "no Content-Type"} instead of auth/request");
            }
        }

        var auth = _options.User is { } user
            ? EslCommands.UserAuth(user, _options.Domain!, _options.Password!)
            : EslCommands.Auth(_options.Password!);
        using var reply = await SendAsync(auth, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        var text = reply.ReplyText ?? string.Empty;
        if (!text.StartsWith("+OK", StringComparison.Ordinal))
        {
            // "-ERR invalid", then FreeSWITCH sends a disconnect notice and closes the socket.
            throw new EslAuthenticationException(EslFailureKind.AuthFailed, text);
        }
    }

    private async Task ReadLoopAsync()
    {
        long offset = 0;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_shutdown.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                Touch();
                try
                {
                    while (_frames.TryReadFrame(ref buffer, out var frame))
                    {
                        frame!.StreamOffset = offset;
                        offset += frame.Length;
                        await DispatchAsync(frame).ConfigureAwait(false);
                        if (CurrentFault is not null)
                        {
                            return;
                        }
                    }
                }
                catch (EslProtocolException e)
                {
                    Fault(new EslConnectionException(EslFailureKind.ProtocolError, $"ESL protocol error from {_node}: {e.Message}", e));
                    return;
                }

                if (result.IsCompleted)
                {
                    // Leftover bytes at the end of the stream are a frame cut in half.
                    Fault(buffer.IsEmpty
                        ? new EslConnectionException(EslFailureKind.SocketClosed, ClosedMessage())
                        : new EslConnectionException(EslFailureKind.ProtocolError, $"FreeSWITCH at {_node} closed the socket inside a frame ({buffer.Length} bytes left)"));
                    return;
                }

                // Everything before buffer.Start is consumed; everything up to End was looked at.
                _input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            // Fault() already recorded why.
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Fault(new EslConnectionException(EslFailureKind.SocketClosed, $"reading from FreeSWITCH at {_node} failed: {e.Message}", e));
        }
    }

    private string ClosedMessage() => _notice.Task.IsCompletedSuccessfully
        ? $"FreeSWITCH at {_node} closed the connection after a {_notice.Task.Result} notice"
        : $"FreeSWITCH at {_node} closed the connection";

    private ValueTask DispatchAsync(EslFrame frame)
    {
        switch (frame.Kind)
        {
            case EslFrameKind.AuthRequest:
            case EslFrameKind.CommandReply:
            case EslFrameKind.ApiResponse:
            case EslFrameKind.None when frame.GetHeader("Event-Name") is not null:
                CompleteOldest(frame);
                return ValueTask.CompletedTask;
            case EslFrameKind.EventPlain:
            case EslFrameKind.EventJson:
                return PublishEventAsync(frame);
            case EslFrameKind.LogData:
                PublishLog(frame);
                return ValueTask.CompletedTask;
            case EslFrameKind.DisconnectNotice:
                OnDisconnectNotice(frame);
                return ValueTask.CompletedTask;
            case EslFrameKind.RudeRejection:
                var text = frame.BodyText;
                frame.Dispose();
                Fault(new EslAuthenticationException(EslFailureKind.Rejected, text));
                return ValueTask.CompletedTask;
            default:
                CountDecodeFailure(frame.Kind.ToString(), $"unhandled Content-Type {frame.ContentType ?? "(none)"}");
                frame.Dispose();
                return ValueTask.CompletedTask;
        }
    }

    private void OnDisconnectNotice(EslFrame frame)
    {
        // "Content-Disposition: linger" (outbound sockets after hangup): events keep coming until FreeSWITCH closes.
        // "disconnect" or none (after exit, a wrong password, a killed listener): FreeSWITCH closes right after.
        var disposition = frame.GetHeader("Content-Disposition") ?? "disconnect";
        var text = frame.BodyText;
        frame.Dispose();
        Log.DisconnectNotice(_logger, _node, disposition);
        _notice.TrySetResult(disposition);
        if (string.Equals(disposition, "linger", StringComparison.OrdinalIgnoreCase))
        {
            IsLingering = true;
            return;
        }

        Fault(new EslConnectionException(EslFailureKind.SocketClosed, $"FreeSWITCH at {_node} said goodbye: {text.Trim()}"));
    }

    private void PublishLog(EslFrame frame)
    {
        using (frame)
        {
            _logs.Writer.TryWrite(new EslLogLine(
                int.TryParse(frame.GetHeader("Log-Level"), out var level) ? level : -1,
                frame.BodyText,
                frame.GetHeader("Log-File"),
                frame.GetHeader("Text-Channel"),
                frame.GetHeader("User-Data")));
        }
    }

    private void Touch() => Volatile.Write(ref _lastReceived, _time.GetTimestamp());

    private async Task LivenessLoopAsync()
    {
        var limit = _options.LivenessTimeout!.Value;
        var period = TimeSpan.FromTicks(Math.Max(limit.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks));
        try
        {
            while (CurrentFault is null)
            {
                await Task.Delay(period, _time, _shutdown.Token).ConfigureAwait(false);
                if (_waitingForConsumer)
                {
                    // The read loop is parked on our own slow consumer, not starved by FreeSWITCH: not a dead peer.
                    Touch();
                    continue;
                }

                var silence = _time.GetElapsedTime(Volatile.Read(ref _lastReceived));
                if (silence > limit)
                {
                    Log.LivenessExpired(_logger, _node, silence);
                    Fault(new EslConnectionException(EslFailureKind.Timeout, $"nothing received from {_node} for {silence} (liveness limit {limit})"));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Connection ended.
        }
    }
}
