using System.Collections.Concurrent;
using CallControl.Rooms;
using CallControl.Tests.Support;
using Npgsql;

namespace CallControl.Tests.Cluster;

/// <summary>
/// The test's own session on a signal bus channel: it records every payload published there and can NOTIFY its own,
/// standing in for a peer instance (or for anyone with database access). It sends no heartbeat unless told to.
/// </summary>
internal sealed class BusTap : IAsyncDisposable
{
    private readonly NpgsqlConnection _listen;
    private readonly NpgsqlDataSource _notify;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _sequence;

    private BusTap(string channel, NpgsqlConnection listen, NpgsqlDataSource notify)
    {
        Channel = channel;
        _listen = listen;
        _notify = notify;
        _listen.Notification += (_, e) => Payloads.Enqueue(e.Payload);
        _loop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await _listen.WaitAsync(_stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public string Channel { get; }

    public ConcurrentQueue<string> Payloads { get; } = new();

    /// <summary>The decoded messages seen so far (anything undecodable left out).</summary>
    public IReadOnlyList<SignalMessage> Messages =>
        [.. Payloads.Select(p => SignalMessage.TryDecode(p, out _)).OfType<SignalMessage>()];

    public static async Task<BusTap> StartAsync(string channel)
    {
        var listen = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServiceHostDatabase.ConnectionString) { Pooling = false }.ConnectionString);
        await listen.OpenAsync();
        await using (var command = new NpgsqlCommand($"LISTEN \"{channel}\"", listen))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new BusTap(channel, listen, NpgsqlDataSource.Create(ServiceHostDatabase.ConnectionString));
    }

    /// <summary>A message from a made-up peer (its sequence numbers are kept distinct).</summary>
    public SignalMessage As(string instance, string incarnation, SignalKind kind) =>
        new(kind, instance, incarnation, Interlocked.Increment(ref _sequence));

    public Task PublishAsync(SignalMessage message) => PublishAsync(message.Encode());

    public async Task PublishAsync(string payload)
    {
        await using var command = _notify.CreateCommand("SELECT pg_notify($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = Channel });
        command.Parameters.Add(new NpgsqlParameter { Value = payload });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Heartbeats as <paramref name="instance"/> every 200 ms until the result is cancelled (the peer "dies").</summary>
    public CancellationTokenSource HeartbeatAs(string instance, string incarnation)
    {
        var alive = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            try
            {
                while (!alive.IsCancellationRequested)
                {
                    await PublishAsync(As(instance, incarnation, SignalKind.Heartbeat));
                    await Task.Delay(200, alive.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or NpgsqlException)
            {
                // Stopped, or the tap is gone.
            }
        });
        return alive;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _listen.DisposeAsync();
        await _notify.DisposeAsync();
        _stop.Dispose();
    }
}
