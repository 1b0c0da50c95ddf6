using System.Diagnostics;
using CallControl.Esl.Commands;
using CallControl.Esl.Diagnostics;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Connection;

/// <summary>Writing commands and waiting for their positional replies.</summary>
public sealed partial class EslConnection
{
    /// <summary>
    /// Sends a command and returns its reply frame (the caller disposes it). The command is validated before
    /// anything is written; cancellation before the write leaves the wire untouched. A reply that does not come
    /// within <paramref name="timeout"/> (default <see cref="EslConnectionOptions.CommandTimeout"/>) ends the
    /// connection with kind <see cref="EslFailureKind.Timeout"/>: later replies would be matched to the wrong commands.
    /// </summary>
    public async Task<EslFrame> SendAsync(EslCommand command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var bytes = command.ToBytes();
        var pending = await WriteAsync(command.Line, bytes, cancellationToken).ConfigureAwait(false);
        return await WaitReplyAsync(pending, timeout ?? _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PendingReply> WriteAsync(string line, byte[] bytes, CancellationToken cancellationToken)
    {
        ThrowIfFaulted();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = Enqueue(line);
            try
            {
                await _stream.WriteAsync(bytes, _shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                Fault(new EslConnectionException(EslFailureKind.SocketClosed, $"writing to FreeSWITCH at {_node} failed: {e.Message}", e));
                throw CurrentFault!;
            }

            return pending;
        }
        catch (ObjectDisposedException) when (CurrentFault is not null)
        {
            throw CurrentFault;
        }
        finally
        {
            ReleaseWriteLock();
        }
    }

    private void ReleaseWriteLock()
    {
        try
        {
            _writeLock.Release();
        }
        catch (ObjectDisposedException)
        {
            // Disposed while a write was in flight: the connection is already failed.
        }
    }

    /// <summary>Queues the reply slot; done inside the write lock so queue order is wire order, and under the queue
    /// lock so a concurrent fault either sees it (and fails it) or this sees the fault.</summary>
    private PendingReply Enqueue(string line)
    {
        var pending = new PendingReply(line, _time.GetTimestamp());
        lock (_pending)
        {
            ThrowIfFaulted();
            _pending.Enqueue(pending);
        }

        return pending;
    }

    private async Task<EslFrame> WaitReplyAsync(PendingReply pending, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            Log.CommandTimedOut(_logger, _node, pending.Line, timeout);
            Fault(new EslConnectionException(EslFailureKind.Timeout, $"no reply to '{pending.Line}' from {_node} within {timeout}", e));
            throw CurrentFault!;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The command is on the wire; its reply will still come and must still be consumed in order.
            pending.Abandon();
            throw;
        }
    }

    private void CompleteOldest(EslFrame frame)
    {
        PendingReply? pending;
        lock (_pending)
        {
            _pending.TryDequeue(out pending);
        }

        if (pending is null)
        {
            frame.Dispose();
            throw new EslProtocolException($"a {frame.Kind} arrived with no command waiting for it", frame.StreamOffset);
        }

        EslMetrics.CommandDuration.Record(_time.GetElapsedTime(pending.Started).TotalMilliseconds, EslMetrics.Tags(_node));
        pending.Complete(frame);
    }

    private void ThrowIfFaulted()
    {
        if (CurrentFault is { } fault)
        {
            throw fault;
        }
    }

    /// <summary>A command on the wire waiting for its reply.</summary>
    private sealed class PendingReply(string line, long started)
    {
        private readonly TaskCompletionSource<EslFrame> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _abandoned;
        private int _disposed;

        public string Line { get; } = line;

        public long Started { get; } = started;

        public Task<EslFrame> Task => _tcs.Task;

        public void Abandon()
        {
            _abandoned = true;
            if (_tcs.Task.IsCompletedSuccessfully)
            {
                DisposeOnce(_tcs.Task.Result);
            }
        }

        public void Complete(EslFrame frame)
        {
            if (!_tcs.TrySetResult(frame))
            {
                frame.Dispose();
            }
            else if (_abandoned)
            {
                DisposeOnce(frame);
            }
        }

        private void DisposeOnce(EslFrame frame)
        {
            // Nobody will read an abandoned reply: return its buffers, exactly once.
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                frame.Dispose();
            }
        }

        public void Fail(Exception reason) => _tcs.TrySetException(reason);
    }
}
