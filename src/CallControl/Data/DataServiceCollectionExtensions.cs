using Dapper;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace CallControl.Data;

/// <summary>Registers the PostgreSQL data source, the migrator and the stores.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>The connection string name: configuration <c>ConnectionStrings:CallControl</c>.</summary>
    public const string ConnectionStringName = "CallControl";

    /// <summary>
    /// Adds one <see cref="NpgsqlDataSource"/> built from <c>ConnectionStrings:CallControl</c>, the
    /// <see cref="DatabaseMigrator"/> and the stores. A missing connection string fails here, at boot.
    /// </summary>
    public static IServiceCollection AddCallControlData(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=callcontrol)");
        }

        return services.AddCallControlData(connectionString);
    }

    /// <summary>As <see cref="AddCallControlData(IServiceCollection, IConfiguration)"/> with an explicit connection string.</summary>
    public static IServiceCollection AddCallControlData(this IServiceCollection services, string connectionString)
    {
        UseSnakeCaseMapping();
        var tuned = Tune(connectionString);
        services.AddSingleton(_ => NpgsqlDataSource.Create(tuned));
        // Admins' queries (CDR pages, stats, the CSV export that holds its connection while the download streams) get
        // a pool of their own, so however many run, call control keeps its connections.
        services.AddKeyedSingleton(AdminDataSourceKey, (_, _) => NpgsqlDataSource.Create(TuneForAdmin(tuned)));
        services.AddSingleton<PostgresTraffic>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<RoomStore>();
        services.AddSingleton<CallStore>();
        services.AddSingleton<LegStore>();
        services.AddSingleton<VertoLoginStore>();
        services.AddSingleton<PstnUsageStore>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>How long opening a connection may take when the connection string says nothing (Npgsql's default: 15 s).</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>The default pool size when the connection string names none (Npgsql's own default is 100).</summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>The key of the admin queries' own <see cref="NpgsqlDataSource"/> (keyed service).</summary>
    public const string AdminDataSourceKey = "admin";

    /// <summary>The admin pool's size: queries beyond it wait for one of these, never for call control's.</summary>
    public const int AdminMaxPoolSize = 4;

    /// <summary>What the admin queries' connections report in <c>pg_stat_activity</c>.</summary>
    public const string AdminApplicationName = "callcontrol-admin";

    /// <summary>The admin pool's connection string: the service's, with its own size, name and a shorter wait.</summary>
    public static string TuneForAdmin(string tunedConnectionString) =>
        new NpgsqlConnectionStringBuilder(tunedConnectionString)
        {
            // Admin queries can run for seconds and the CSV export streams for as long as the download: on a
            // multiplexed connection the commands written behind them would wait that long. These own their sessions.
            Multiplexing = false,
            MaxPoolSize = AdminMaxPoolSize,
            ApplicationName = AdminApplicationName,
            // An admin query waits this long for a free admin connection, then fails (the console shows the error).
            Timeout = 10,
        }.ConnectionString;

    /// <summary>
    /// The connection string the data source uses: the operator's, with our defaults for what it leaves unset.
    /// </summary>
    public static string Tune(string connectionString)
    {
        // No Reset On Close: Npgsql otherwise sends DISCARD ALL before the next use of every pooled connection, about
        // 30 extra statements per call (bench/load). Nothing here leaves session state on a pooled connection: the
        // node leases hold their advisory locks on unpooled connections, the migrator releases its lock in a finally.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        // Automatic preparation: the stores run a few dozen fixed statements (CTEs, the CDR upsert), so PostgreSQL
        // parses and plans each once per connection instead of at every call. An operator's own setting wins.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        // A pool far wider than the database's cores only adds backends that preempt one another: on the 2-core bench
        // machine, bench/load at 100 calls/s cost PostgreSQL 9.3 ms of CPU per call with Npgsql's 100 connections and
        // 7.4 ms with 20, and p99 park-to-bridge fell from 530 ms to 27-118 ms. It also keeps several instances inside
        // max_connections. Work waits for a connection in the pool instead, which is cheap. An operator's size wins.
        if (!NamesPoolSize(connectionString))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        // Multiplexing: commands from concurrent calls that are waiting to be sent go out together in one write on an
        // idle connection (or, with all of them busy, the least loaded), and PostgreSQL answers them together, instead
        // of one round trip, and two process wake-ups, per statement. On the 2-core bench machine a cross-process
        // wake-up costs tens of microseconds and each call makes about twelve round trips: near saturation bench/load
        // sustained 145-149 setups/s without it and 160-205 with it, at 3.0-4.0 ms of PostgreSQL CPU per call instead
        // of 4.9-5.0; at 100/s, where few calls overlap, it changes nothing measurable (README, Benchmarks).
        // It asks that every command be asynchronous (the stores' are) and that nothing lean on a session outside a
        // transaction: what does (the migration lock, the node leases, LISTEN, Hangfire, admin queries) uses
        // Dedicated or the admin pool. An operator's own setting wins.
        if (!Names(connectionString, "Multiplexing"))
        {
            builder.Multiplexing = true;
        }

        // Connecting gives up after 5 s, not Npgsql's 15. A database that does not answer the handshake in 5 s on
        // the network a call-control service shares with it is not coming back within one request; through a dark
        // network (tests/Faults/PostgresPartitionTests) a room request waited 28-43 s before its 503 with 15, and
        // under 9 s with 5, and a request then holds its client that long. An operator's own setting wins.
        // With multiplexing it is also the longest wait for a statement's answer, whatever Command Timeout says
        // (Npgsql applies no command timeout to multiplexed commands; the connect timeout stays on the socket): a write
        // behind a row lock failed after 5.0 s with Command Timeout 10 and 30, and after 8.0 s with Timeout=8.
        if (!Names(connectionString, "Timeout"))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// The connection string for connections that own their session: the given one without multiplexing, whatever the
    /// operator set, for session-level state (advisory locks, LISTEN) and synchronous clients (DbUp, Hangfire).
    /// </summary>
    public static string Dedicated(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Multiplexing = false }.ConnectionString;

    private static bool NamesPoolSize(string connectionString) =>
        Names(connectionString, "Maximum Pool Size") || Names(connectionString, "MaxPoolSize");

    private static bool Names(string connectionString, string key)
    {
        var raw = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return raw.ContainsKey(key);
    }

    /// <summary>Columns are snake_case, properties PascalCase: Dapper matches them by ignoring underscores.</summary>
    public static void UseSnakeCaseMapping() => DefaultTypeMap.MatchNamesWithUnderscores = true;
}
