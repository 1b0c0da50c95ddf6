using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using CallControl.Esl.Commands;
using CallControl.Esl.Diagnostics;
using CallControl.Esl.Events;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Connection;

/// <summary>Event delivery: correlation (bgapi, execute), sequence gaps, and a visible slow consumer.</summary>
public sealed partial class EslConnection
{
    private long _sequenceGaps;
    private long _eventsShed;
    private long _decodeFailures;
    private long _lastSequence = -1;
    private bool _behind;
    private volatile bool _waitingForConsumer;
    private long _shedAtStall;

    // How far behind the node this client reads: the event's Event-Date-Timestamp (microseconds since the epoch, stamped
    // as the node fired it) against this host's clock. Only read while someone listens to the histogram, and from the
    // header's bytes (digits, never percent-encoded) so that every event does not allocate a string for it. A clock that
    // is behind the node's would make it negative; such a reading is recorded as 0.
    private static void RecordLag(EslEvent ev, in TagList tags)
    {
        if (!EslMetrics.EventLag.Enabled)
        {
            return;
        }

        const string Header = "Event-Date-Timestamp";
        var raw = ev.GetRawHeader(Header);
        long firedUs;
        var stamped = raw.IsEmpty
            ? long.TryParse(ev.GetHeader(Header), NumberStyles.None, CultureInfo.InvariantCulture, out firedUs)
            : Utf8Parser.TryParse(raw, out firedUs, out var used) && used == raw.Length;
        if (stamped)
        {
            var nowUs = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
            EslMetrics.EventLag.Record(Math.Max(0, nowUs - firedUs) / 1000.0, in tags);
        }
    }

    private async ValueTask PublishEventAsync(EslFrame frame)
    {
        EslEvent ev;
        try
        {
            ev = EslEvent.FromFrame(frame, _options.FrameLimits);
        }
        catch (EslProtocolException e)
        {
            // The frame was well cut; only its event body is bad. Skip it, visibly.
            frame.Dispose();
            CountDecodeFailure(frame.Kind.ToString(), e.Reason);
            return;
        }

        ev.ReceivedTimestamp = Stopwatch.GetTimestamp();
        var tags = EslMetrics.Tags(_node);
        EslMetrics.EventsReceived.Add(1, tags);
        RecordLag(ev, in tags);
        CheckSequence(ev);
        Correlate(ev);
        if (_events.Writer.TryWrite(ev))
        {
            if (_behind && _events.Reader.Count < _options.EventQueueCapacity / 2)
            {
                _behind = false;
                Log.ConsumerCaughtUp(_logger, _node, EventsShed - _shedAtStall);
            }

            return;
        }

        if (!_behind)
        {
            _behind = true;
            _shedAtStall = EventsShed;
            EslMetrics.ConsumerStalls.Add(1, tags);
            Log.ConsumerBehind(_logger, _node, _options.EventQueueCapacity, _options.OverflowPolicy.ToString());
        }

        if (_options.OverflowPolicy == EslOverflowPolicy.Shed)
        {
            Interlocked.Increment(ref _eventsShed);
            EslMetrics.EventsShed.Add(1, tags);
            ev.Dispose();
            return;
        }

        try
        {
            // Backpressure: stop reading until the consumer makes room; FreeSWITCH's listener queue holds the rest.
            _waitingForConsumer = true;
            await _events.Writer.WriteAsync(ev, _shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            ev.Dispose();
        }
        finally
        {
            _waitingForConsumer = false;
            Touch();
        }
    }

    /// <summary>Completes the bgapi job or the sendmsg execute this event answers. The strings are copied out, so
    /// the consumer may dispose the event whenever it likes.</summary>
    private void Correlate(EslEvent ev)
    {
        switch (ev.EventName)
        {
            case "BACKGROUND_JOB" when ev.JobUuid is { } job && _jobs.TryRemove(job, out var pendingJob):
                // The job's output is the event body; failures are "-ERR ..." in it.
                pendingJob.TrySetResult(new EslResult(ev.Body ?? string.Empty));
                break;
            case "CHANNEL_HANGUP_COMPLETE":
                FailExecutionsOf(ev.UniqueId);
                break;
            case "CHANNEL_EXECUTE_COMPLETE" when ev.ApplicationUuid is { } app && _executions.TryRemove(app, out var execution):
                execution.Completion.TrySetResult(new EslExecuteResult(
                    ev.UniqueId ?? string.Empty,
                    ev.Application ?? string.Empty,
                    ev.GetHeader("Application-Data"),
                    ev.GetHeader("Application-Response")));
                break;
        }
    }

    /// <summary>The channel is gone: an application still pending on it will never complete. CHANNEL_EXECUTE_COMPLETE
    /// of a running application comes before CHANNEL_HANGUP_COMPLETE (outbound-socket capture), so only applications
    /// that never ran are failed here. A null channel (outbound socket) is the controlled channel.</summary>
    private void FailExecutionsOf(string? uniqueId)
    {
        foreach (var (key, pending) in _executions)
        {
            if ((pending.UniqueId is null || string.Equals(pending.UniqueId, uniqueId, StringComparison.OrdinalIgnoreCase))
                && _executions.TryRemove(key, out _))
            {
                pending.Completion.TrySetException(new EslCommandException(pending.Command, $"channel {uniqueId} hung up before the application completed"));
            }
        }
    }

    /// <summary>FreeSWITCH numbers every event globally; with ALL, a hole or a step back means events were lost or,
    /// under load with several dispatch threads, reordered. Counted, never fatal.</summary>
    private void CheckSequence(EslEvent ev)
    {
        if (!Subscriptions.All || ev.EventSequence is not { } seq)
        {
            return;
        }

        var last = _lastSequence;
        _lastSequence = Math.Max(last, seq);
        if (last < 0 || seq == last + 1)
        {
            return;
        }

        var gaps = seq > last ? seq - last - 1 : 1;
        Interlocked.Add(ref _sequenceGaps, gaps);
        EslMetrics.SequenceGaps.Add(gaps, EslMetrics.Tags(_node));
    }

    private void CountDecodeFailure(string kind, string reason)
    {
        Interlocked.Increment(ref _decodeFailures);
        EslMetrics.DecodeProblems.Add(1, EslMetrics.Tags(_node));
        Log.DecodeFailed(_logger, _node, kind, reason);
    }
}
