using System.Threading.Channels;
using Npgsql;

namespace CallControl.Rooms;

// One background publisher: whatever is queued goes out in one round trip (one pg_notify per message, delivered at
// commit in queue order). Nothing that queues a message waits for PostgreSQL.
public sealed partial class SignalBus
{
    private const int MaxBatch = 256;

    private const string NotifySql = "SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p";

    private readonly Channel<SignalMessage> _outbound =
        System.Threading.Channels.Channel.CreateBounded<SignalMessage>(new BoundedChannelOptions(10_000) { SingleReader = true });

    private volatile bool _stopping;
    private bool _queueFullLogged;

    private void Enqueue(SignalMessage message)
    {
        if (_outbound.Writer.TryWrite(message))
        {
            _queueFullLogged = false;
            return;
        }

        Interlocked.Increment(ref _dropped);
        if (!_stopping && !_queueFullLogged)
        {
            _queueFullLogged = true;
            SignalLog.QueueFull(_logger);
        }
    }

    private async Task PublishAsync()
    {
        var dataSource = _services.GetRequiredService<NpgsqlDataSource>();
        var batch = new List<string>(MaxBatch);
        var failing = false;
        while (await _outbound.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _outbound.Reader.TryRead(out var message))
            {
                // Numbered and timed here, in publishing order: receivers take a sender's sequence as only growing.
                var payload = _seal.Seal((message with { Sequence = NextSequence(), SentAt = DateTimeOffset.UtcNow }).Encode());
                var bytes = SignalMessage.Size(payload);
                if (bytes > SignalMessage.MaxPayloadBytes)
                {
                    SignalLog.Oversize(_logger, message.Kind, bytes);
                    continue;
                }

                batch.Add(payload);
            }

            // Not listening means PostgreSQL is unreachable or this instance is not on the bus yet: peers are told
            // everything again (sync) once it listens, so the batch is dropped rather than retried.
            if (batch.Count == 0 || !_listening)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                continue;
            }

            try
            {
                await using var command = dataSource.CreateCommand(NotifySql);
                command.Parameters.Add(new NpgsqlParameter { Value = Channel });
                command.Parameters.Add(new NpgsqlParameter { Value = batch.ToArray() });
                // Stopping waits a moment for the goodbye to go out, then cancels whatever is still in flight.
                await command.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                Interlocked.Add(ref _published, batch.Count);
                Interlocked.Exchange(ref _lastPublishOk, Environment.TickCount64);
                if (failing)
                {
                    failing = false;
                    SignalLog.PublishRecovered(_logger);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                if (!failing)
                {
                    failing = true;
                    SignalLog.PublishFailed(_logger, batch.Count, e);
                }
            }
        }
    }
}
