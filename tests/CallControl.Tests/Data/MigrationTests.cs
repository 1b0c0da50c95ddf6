using System.Runtime.CompilerServices;
using CallControl.Data;
using CallControl.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallControl.Tests.Data;

[Collection(DatabaseGroup.Name)]
public sealed class MigrationTests(DatabaseFixture db)
{
    [Fact]
    public void EmbeddedScripts_carry_every_file_in_db_migrations_in_order()
    {
        var onDisk = Directory.GetFiles(Path.Combine(RepoRoot(), "db", "migrations"), "*.sql")
            .Select(f => DatabaseMigrator.ResourcePrefix + Path.GetFileName(f))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk, DatabaseMigrator.EmbeddedScripts());
    }

    [Fact]
    public async Task MigrateAsync_on_a_fresh_database_applied_every_script_and_again_applies_none()
    {
        Assert.Equal(DatabaseMigrator.EmbeddedScripts(), db.Applied);

        var again = await db.Migrator().MigrateAsync();

        Assert.Empty(again);
    }

    [Fact]
    public async Task MigrateAsync_from_several_instances_on_a_fresh_database_applies_each_script_once()
    {
        await WithFreshDatabaseAsync("race", async connectionString =>
        {
            await using var fresh = NpgsqlDataSource.Create(connectionString);
            var migrators = Enumerable.Range(0, 4).Select(_ => new DatabaseMigrator(fresh, NullLogger<DatabaseMigrator>.Instance)).ToList();

            var runs = await Task.WhenAll(migrators.Select(m => Task.Run(() => m.MigrateAsync())));

            Assert.Single(runs, r => r.Count > 0);
            Assert.Equal(DatabaseMigrator.EmbeddedScripts(), runs.Single(r => r.Count > 0));
        });
    }

    [Fact]
    public async Task MigrateAsync_on_a_multiplexed_data_source_releases_its_lock_on_the_session_that_took_it()
    {
        // The service's data source multiplexes: each command goes to whichever pooled session is idle, so a lock
        // taken and released through it could be released on another session (a warning, not an error) and stay
        // held, and the next instance to start would wait for it forever.
        await using var multiplexed = NpgsqlDataSource.Create(DataServiceCollectionExtensions.Tune(db.ConnectionString));
        // Two sessions open and idle, so consecutive commands need not land on the same one.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var connection = await multiplexed.OpenConnectionAsync();
            await using var sleep = new NpgsqlCommand("SELECT pg_sleep(0.2)", connection);
            await sleep.ExecuteNonQueryAsync();
        }));

        await new DatabaseMigrator(multiplexed, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();

        await using var check = await db.DataSource.OpenConnectionAsync();
        await using var held = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            check);
        Assert.Equal(0L, await held.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_leg_stored_before_0014_keeps_its_document_and_a_later_post_replaces_it_verbatim()
    {
        await WithFreshDatabaseAsync("0014", async connectionString =>
        {
            var scripts = Directory.GetFiles(Path.Combine(RepoRoot(), "db", "migrations"), "*.sql").Order(StringComparer.Ordinal).ToList();
            foreach (var script in scripts.TakeWhile(s => string.CompareOrdinal(Path.GetFileName(s), "0014") < 0))
            {
                await ExecuteAsync(connectionString, await File.ReadAllTextAsync(script));
            }

            // A leg as the previous schema stored it: the document in a jsonb column named json_cdr.
            var uuid = Guid.NewGuid();
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var insert = new NpgsqlCommand(
                    """INSERT INTO call_legs (leg_uuid, hangup_cause, source, json_cdr) VALUES ($1, 'NORMAL_CLEARING', 'json_cdr', '{"variables": {"b": "2", "a": "1"}}')""",
                    connection);
                insert.Parameters.AddWithValue(uuid);
                await insert.ExecuteNonQueryAsync();
            }

            foreach (var script in scripts.SkipWhile(s => string.CompareOrdinal(Path.GetFileName(s), "0014") < 0))
            {
                await ExecuteAsync(connectionString, await File.ReadAllTextAsync(script));
            }

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var legs = new LegStore(dataSource);
            // jsonb's own text of it (keys sorted): the document kept through the migration, in the renamed column.
            const string Stored = """{"variables": {"a": "1", "b": "2"}}""";
            Assert.Equal(Stored, (await legs.GetAsync(uuid))!.JsonCdr);

            await legs.UpsertAsync(new LegUpsert { LegUuid = uuid, Source = LegSource.Event, Role = "caller" });
            var afterEvent = (await legs.GetAsync(uuid))!;
            Assert.Equal(Stored, afterEvent.JsonCdr);
            Assert.Equal("both", afterEvent.Source);

            // FreeSWITCH posts it again (its spool): the new column holds the text as posted, and it is what is read.
            const string Posted = """{"variables":{"b":"2","a":"1"} }""";
            await legs.UpsertAsync(new LegUpsert { LegUuid = uuid, Source = LegSource.JsonCdr, JsonCdr = Posted });
            Assert.Equal(Posted, (await legs.GetAsync(uuid))!.JsonCdr);
        });
    }

    // An empty database of its own (callcontrol_test_<what>_<random>) for body, dropped after.
    private async Task WithFreshDatabaseAsync(string what, Func<string, Task> body)
    {
        var name = $"callcontrol_test_{what}_" + Guid.NewGuid().ToString("N")[..8];
        var admin = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        try
        {
            await body(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = name }.ConnectionString);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Schema_has_the_admin_query_indexes_on_calls()
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE tablename = 'calls'", connection);
        var defs = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                defs.Add(reader.GetString(0));
            }
        }

        Assert.Contains(defs, d => d.Contains("(created_at, id)", StringComparison.Ordinal));
        Assert.Contains(defs, d => d.Contains("callee_number text_pattern_ops", StringComparison.Ordinal));
        foreach (var column in new[] { "status", "caller", "callee", "room_id", "freeswitch_node", "hangup_cause" })
        {
            Assert.Contains(defs, d => d.Contains($"({column}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_per_call_paths_use_a_cached_plan_rollup_and_lz4_for_the_leg_documents()
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        // The rollup's trigger function appends to call_stats_pending (0011); 0010's per-row upsert is gone.
        await using (var language = new NpgsqlCommand(
            "SELECT string_agg(p.proname || ':' || l.lanname, ',' ORDER BY p.proname) FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang " +
            "WHERE p.proname IN ('call_stats_add', 'call_stats_row_changed', 'call_stats_fold_pending')", connection))
        {
            Assert.Equal("call_stats_fold_pending:sql,call_stats_row_changed:plpgsql", await language.ExecuteScalarAsync());
        }

        // The rollup's triggers are per row (no transition tables), and the update trigger is filtered by its WHEN
        // clause (bit 0 of tgtype: FOR EACH ROW; tgqual: the WHEN expression).
        await using (var triggers = new NpgsqlCommand(
            "SELECT tgname, (tgtype & 1) = 1, tgqual IS NOT NULL, tgnewtable IS NULL AND tgoldtable IS NULL FROM pg_trigger " +
            "WHERE tgrelid = 'calls'::regclass AND tgname IN ('calls_stats_insert', 'calls_stats_update', 'calls_stats_delete') ORDER BY tgname",
            connection))
        {
            var rows = new List<string>();
            await using var reader = await triggers.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add($"{reader.GetString(0)} row={reader.GetBoolean(1)} when={reader.GetBoolean(2)} no-transition-tables={reader.GetBoolean(3)}");
            }

            Assert.Equal(
                [
                    "calls_stats_delete row=True when=False no-transition-tables=True",
                    "calls_stats_insert row=True when=False no-transition-tables=True",
                    "calls_stats_update row=True when=True no-transition-tables=True",
                ],
                rows);
        }

        await using var lz4 = new NpgsqlCommand(
            "SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'", connection);
        if (await lz4.ExecuteScalarAsync() is true)
        {
            await using var compression = new NpgsqlCommand(
                "SELECT attname, attcompression::text FROM pg_attribute WHERE attrelid = 'call_legs'::regclass AND attname IN ('variables', 'json_cdr') ORDER BY attname",
                connection);
            var columns = new List<string>();
            await using var reader = await compression.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add($"{reader.GetString(0)}={reader.GetString(1)}");
            }

            Assert.Equal(["json_cdr=l", "variables=l"], columns);
        }
    }

    // From this source file, not the binaries: test outputs may live outside the repository (--artifacts-path).
    private static string RepoRoot([CallerFilePath] string source = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(source)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + source);
    }
}
