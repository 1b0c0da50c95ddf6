using System.Collections.Concurrent;
using CallControl.Rooms;
using CallControl.Tests.Support;
using Npgsql;

namespace CallControl.Tests.Cluster;

/// <summary>
/// The test's own session on a signal bus channel: it records every payload published there and can NOTIFY its own,
/// standing in for a peer instance (sealed with the cluster's key, numbered and timed as a publisher does) or for
/// anyone with database access (raw payloads). It sends no heartbeat unless told to.
/// </summary>
internal sealed class BusTap : IAsyncDisposable
{
    private readonly NpgsqlConnection _listen;
    private readonly NpgsqlDataSource _notify;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly SemaphoreSlim _publishing = new(1, 1);
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

    /// <summary>The key the cluster's instances seal with (<see cref="ClusterWorld.SigningKey"/>).</summary>
    public SignalSeal Seal { get; } = SignalSeal.FromSigningKey(ClusterWorld.SigningKey);

    /// <summary>The decoded messages seen so far (anything unsealed or undecodable left out).</summary>
    public IReadOnlyList<SignalMessage> Messages =>
        [.. Payloads.Select(p => Seal.Open(p, out _) is { } json ? SignalMessage.TryDecode(json, out _) : null).OfType<SignalMessage>()];

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

    /// <summary>A message from a made-up peer (numbered when published).</summary>
#pragma warning disable CA1822 // On the tap, as the tap's own words (tap.As(...)), like everything it publishes.
    public SignalMessage As(string instance, string incarnation, SignalKind kind) => new(kind, instance, incarnation, 0);
#pragma warning restore CA1822

    /// <summary>Publishes as a peer does: numbered in publishing order, timed now, sealed; the payload sent.</summary>
    public async Task<string> PublishAsync(SignalMessage message)
    {
        await _publishing.WaitAsync();
        try
        {
            var payload = Seal.Seal((message with { Sequence = ++_sequence, SentAt = DateTimeOffset.UtcNow }).Encode());
            await PublishAsync(payload);
            return payload;
        }
        finally
        {
            _publishing.Release();
        }
    }

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
        _publishing.Dispose();
    }
}
