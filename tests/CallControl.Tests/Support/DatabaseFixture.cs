using CallControl.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CallControl.Tests.Support;

/// <summary>
/// A fresh PostgreSQL database for this test run: <c>callcontrol_test_&lt;random&gt;</c> on the server named by
/// <c>CALLCONTROL_TEST_DB</c> (default <see cref="DefaultConnectionString"/>, the cluster <c>scripts/postgres.sh</c>
/// starts), migrated once, dropped at the end. A server that cannot be reached fails the tests; nothing skips.
/// Tests isolate themselves by unique ids.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=callcontrol";

    private readonly string _serverConnectionString;
    private readonly string _databaseName = "callcontrol_test_" + Guid.NewGuid().ToString("N")[..12];

    public DatabaseFixture()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable("CALLCONTROL_TEST_DB") ?? DefaultConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _databaseName }.ConnectionString;
        // The service's own tuning (multiplexing among it), so the stores are tested as they run.
        DataSource = NpgsqlDataSource.Create(DataServiceCollectionExtensions.Tune(ConnectionString));
        DataServiceCollectionExtensions.UseSnakeCaseMapping();
    }

    /// <summary>The test database's connection string.</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>The scripts the first migration applied (all of them, on a fresh database).</summary>
    public IReadOnlyList<string> Applied { get; private set; } = [];

    public UserStore Users => new(DataSource);

    public RoomStore Rooms => new(DataSource);

    public CallStore Calls => new(DataSource);

    public LegStore Legs => new(DataSource);

    public PstnUsageStore PstnUsage => new(DataSource);

    public VertoLoginStore Logins(TimeProvider? time = null) => new(DataSource, time ?? TimeProvider.System);

    public DatabaseMigrator Migrator() => new(DataSource, NullLogger<DatabaseMigrator>.Instance);

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString()))
        {
            // Unreachable server: this throws, and every test in the collection fails with the reason.
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_databaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        Applied = await Migrator().MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString());
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A user, a room and a ringing call, each with unique ids; for tests that need a call to hang things on.</summary>
    public async Task<CallRecord> NewCallAsync(string? calleeNumber = null, DateTime? pstnDialedAt = null, string? callerId = null)
    {
        var caller = callerId ?? await NewUserAsync();
        if (callerId is not null && await Users.GetAsync(callerId) is null)
        {
            await Users.AddAsync(new UserRecord { Id = callerId, DisplayName = callerId });
        }

        var room = await Rooms.CreateAsync(new RoomRecord
        {
            Id = RoomStore.NewId(), CallerUserId = caller, CalleeNumber = calleeNumber ?? "+15551230001", Media = "audio",
        });
        return await Calls.CreateAsync(
            new CallRecord
            {
                Id = Guid.NewGuid(), RoomId = room.Id, Caller = caller, CalleeNumber = room.CalleeNumber, Media = "audio",
                Status = CallStatuses.Ringing, CreatedAt = DateTime.UtcNow, PstnDialedAt = pstnDialedAt,
            },
            "room_call");
    }

    public async Task<string> NewUserAsync(string? phone = "+15551230001")
    {
        var id = "u-" + Guid.NewGuid().ToString("N")[..12];
        await Users.AddAsync(new UserRecord { Id = id, DisplayName = "Test " + id, PhoneNumber = phone });
        return id;
    }

    public static FakeTimeProvider ClockAt(DateTimeOffset now) => new(now);

    private string AdminConnectionString() =>
        new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
}

/// <summary>Tests that share the run's database.</summary>
[CollectionDefinition(Name)]
public sealed class DatabaseGroup : ICollectionFixture<DatabaseFixture>
{
    public const string Name = "database";
}
