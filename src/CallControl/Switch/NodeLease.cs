using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallControl.Switch;

/// <summary>
/// The right to steer one node: a PostgreSQL session-level advisory lock (<c>pg_try_advisory_lock</c>) held on a
/// dedicated, unpooled connection that stays open while this instance steers. PostgreSQL frees the lock when that
/// session ends, so an owner that dies (process, host or network) gives the node up by itself; a standby polls and
/// takes it. An owner checks its lock connection on every poll: the moment the check fails it stops steering
/// (fencing), because it can no longer prove the lock is still its own.
/// </summary>
public sealed class NodeLease : IAsyncDisposable
{
    private const string TryLockSql = "SELECT pg_try_advisory_lock(@key)";
    private const string UnlockSql = "SELECT pg_advisory_unlock(@key)";
    private const string AliveSql = "SELECT 1";

    private readonly string _connectionString;
    private readonly TimeSpan _poll;
    private readonly Func<bool, Task> _changed;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private NpgsqlConnection? _connection;
    private Task _loop = Task.CompletedTask;
    private bool _unreachableLogged;

    internal NodeLease(string node, string connectionString, ClusterOptions options, Func<bool, Task> changed, ILogger logger)
    {
        Node = node;
        Key = KeyFor(options.LeaseNamespace, node);
        _poll = options.LeasePollInterval;
        _changed = changed;
        _logger = logger;
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Closing must end the session (a pooled connection would keep it, and the lock with it).
            Pooling = false,
            // Whatever the operator set: a multiplexed connection has no session of its own to hold.
            Multiplexing = false,
            // The owner's name is read back from pg_stat_activity (GET /api/admin/nodes).
            ApplicationName = ApplicationNamePrefix + options.InstanceId,
            Timeout = 5,
            CommandTimeout = 5,
            KeepAlive = 1,
            TcpKeepAlive = true,
        }.ConnectionString;
    }

    /// <summary>What every lease connection's <c>application_name</c> starts with, before the instance id.</summary>
    public const string ApplicationNamePrefix = "callcontrol-lease:";

    /// <summary>The node this lease is for.</summary>
    public string Node { get; }

    /// <summary>The advisory lock key.</summary>
    public long Key { get; }

    /// <summary>Whether this instance holds the lock now.</summary>
    public bool Held { get; private set; }

    /// <summary>
    /// The lock key for a node: the first 8 bytes of SHA-256 over the namespace and the node's name (lower case), so
    /// every instance and every version derives the same key (string.GetHashCode is randomised per process).
    /// </summary>
    public static long KeyFor(string leaseNamespace, string node)
    {
        ArgumentNullException.ThrowIfNull(leaseNamespace);
        ArgumentNullException.ThrowIfNull(node);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"callcontrol-node-lease\n{leaseNamespace}\n{node.ToLowerInvariant()}"));
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }

    /// <summary>Tries once now (so a lone instance steers as soon as it starts), then keeps polling in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await TickAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Stops polling and gives the lock back (closing the session would too).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (_connection is not null && Held)
        {
            try
            {
                await using var unlock = new NpgsqlCommand(UnlockSql, _connection);
                unlock.Parameters.AddWithValue("key", Key);
                await unlock.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // Closing the connection below releases it anyway.
            }
        }

        Held = false;
        await CloseAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_poll, _stop.Token).ConfigureAwait(false);
                await TickAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The lease loop must survive anything; a listener's bug is logged.
            catch (Exception e)
#pragma warning restore CA1031
            {
                SwitchLog.LeaseLoopFailed(_logger, Node, e);
            }
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (Held)
        {
            await CheckAliveAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await TryAcquireAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TryAcquireAsync(CancellationToken cancellationToken)
    {
        bool acquired;
        try
        {
            if (_connection is null)
            {
                _connection = new NpgsqlConnection(_connectionString);
                await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var command = new NpgsqlCommand(TryLockSql, _connection);
            command.Parameters.AddWithValue("key", Key);
            acquired = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            _unreachableLogged = false;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (!_unreachableLogged)
            {
                SwitchLog.LeaseUnreachable(_logger, Node, e);
                _unreachableLogged = true;
            }

            await CloseAsync().ConfigureAwait(false);
            return;
        }

        if (acquired)
        {
            Held = true;
            SwitchLog.LeaseAcquired(_logger, Node, Key);
            await _changed(true).ConfigureAwait(false);
        }
    }

    private async Task CheckAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(AliveSql, _connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Fencing: without the session there is no lock; someone else may hold it a moment from now.
            Held = false;
            SwitchLog.LeaseLost(_logger, Node, e);
        }

        await CloseAsync().ConfigureAwait(false);
        await _changed(false).ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // Already broken.
            }
        }
    }
}
