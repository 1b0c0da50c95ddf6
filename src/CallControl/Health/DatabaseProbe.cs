using Npgsql;

namespace CallControl.Health;

/// <summary>
/// Whether PostgreSQL answers, for <c>/health/ready</c>, within a bound that holds whatever the network does.
/// A stopped server fails a command at once; a partition (packets dropped, nothing refused) fails nothing: a command
/// waits for an answer, and cancelling it sends PostgreSQL a cancel request over a new connection, which waits too.
/// Measured through a dark network (tests/Faults/PostgresPartitionTests), a cancelled <c>SELECT 1</c> took 33 s to
/// return, and 45 s or more on the multiplexed pool. So the probe stops waiting at <see cref="Deadline"/> and says
/// not ready; the ping itself is left to end on its own, and concurrent or later probes share it while it runs, so
/// probes every second never pile up commands behind a dead connection.
/// </summary>
public sealed class DatabaseProbe(NpgsqlDataSource database, TimeProvider time)
{
    /// <summary>How long a probe waits for PostgreSQL's answer.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    private readonly Lock _lock = new();
    private Task<string?>? _inFlight;

    /// <summary>Null when PostgreSQL answered <c>SELECT 1</c> within <see cref="Deadline"/>; otherwise why not.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        Task<string?> ping;
        lock (_lock)
        {
            if (_inFlight is null || _inFlight.IsCompleted)
            {
                _inFlight = PingAsync();
            }

            ping = _inFlight;
        }

        try
        {
            return await ping.WaitAsync(Deadline, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return $"PostgreSQL did not answer within {Deadline.TotalSeconds:0} s";
        }
    }

    private async Task<string?> PingAsync()
    {
        // Off the caller's context and token: the ping outlives a probe that stopped waiting for it.
        await Task.Yield();
        using var timeout = new CancellationTokenSource(Deadline, time);
        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or IOException)
        {
            return e.Message;
        }
    }
}
