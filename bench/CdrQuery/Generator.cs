using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace CallControl.Bench.CdrQuery;

/// <summary>
/// Fills the bench database: users, rooms, then calls in time order (as a live system appends them) with their legs,
/// all through binary COPY; no per-row round trip. The secondary indexes the migrations made on calls and call_legs
/// are dropped for the load and rebuilt from their own definitions afterwards (one sort per index instead of ten
/// random B-tree inserts per row), then ANALYZE.
/// </summary>
internal sealed partial class Generator(NpgsqlDataSource dataSource, long calls, DateTime start, DateTime end)
{
    public const int Users = 50_000;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // One room per four calls: rooms are reused (the same pair calling again), which keeps the rooms table realistic
    // in size without one room per call.
    private long Rooms => Math.Max(1_000, calls / 4);

    public async Task FillAsync()
    {
        var total = Stopwatch.StartNew();
        Console.WriteLine(string.Create(Inv, $"filling {BenchDatabase.Name}: {calls:N0} calls from {start:yyyy-MM-dd} to {end:yyyy-MM-dd}, {Users:N0} users, {Rooms:N0} rooms"));
        await ExecuteAsync(BenchDatabase.MarkFilledSql(null)).ConfigureAwait(false);
        await ExecuteAsync("TRUNCATE users, rooms, calls, call_legs, call_state_history CASCADE").ConfigureAwait(false);
        var indexes = await SecondaryIndexesAsync().ConfigureAwait(false);
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync($"DROP INDEX {name}").ConfigureAwait(false);
        }

        await Task.Run(FillTables).ConfigureAwait(false);
        Console.WriteLine(string.Create(Inv, $"  COPY done in {total.Elapsed.TotalSeconds:F0} s"));

        var build = Stopwatch.StartNew();
        foreach (var (_, definition) in indexes)
        {
            await ExecuteAsync(definition, "SET maintenance_work_mem = '1GB'").ConfigureAwait(false);
        }

        Console.WriteLine(string.Create(Inv, $"  {indexes.Count} secondary indexes rebuilt in {build.Elapsed.TotalSeconds:F0} s"));
        // The COPY ran in replica mode, so the triggers that keep the hourly stats rollup did not fire: rebuild it.
        var rollup = Stopwatch.StartNew();
        await ExecuteAsync("SELECT call_stats_rebuild()").ConfigureAwait(false);
        Console.WriteLine(string.Create(Inv, $"  hourly stats rollup rebuilt in {rollup.Elapsed.TotalSeconds:F0} s"));
        await ExecuteAsync("ANALYZE users, rooms, calls, call_legs, call_stats_hourly").ConfigureAwait(false);
        await ExecuteAsync(BenchDatabase.MarkFilledSql(calls)).ConfigureAwait(false);
        Console.WriteLine(string.Create(Inv, $"  filled and analyzed in {total.Elapsed.TotalSeconds:F0} s ({calls / total.Elapsed.TotalSeconds:N0} calls/s overall)"));
    }

    /// <summary>Indexes on calls and call_legs that back no constraint (primary keys stay).</summary>
    private async Task<List<(string Name, string Definition)>> SecondaryIndexesAsync()
    {
        await using var command = dataSource.CreateCommand("""
            SELECT i.indexname, i.indexdef
            FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename IN ('calls', 'call_legs')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.indexname
            """);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var list = new List<(string, string)>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            list.Add((reader.GetString(0), reader.GetString(1)));
        }

        return list;
    }

    private async Task ExecuteAsync(string sql, string? before = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        if (before is not null)
        {
            await using var set = new NpgsqlCommand(before, connection);
            await set.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private void FillTables()
    {
        using var callsConnection = OpenForCopy();
        using var legsConnection = OpenForCopy();
        CopyUsers(callsConnection);
        CopyRooms(callsConnection);

        // Calls and legs stream at once on two connections, so PostgreSQL ingests both while this thread generates.
        var watch = Stopwatch.StartNew();
        var legs = 0L;
        using (var callWriter = callsConnection.BeginBinaryImport(CallCopy))
        using (var legWriter = legsConnection.BeginBinaryImport(LegCopy))
        {
            var random = new Random(20261126);
            var step = (end - start).Ticks / (double)calls;
            var report = Math.Max(1, calls / 10);
            for (var i = 0L; i < calls; i++)
            {
                var call = NextCall(random, start.AddTicks((long)((i + random.NextDouble()) * step)));
                WriteCall(callWriter, call);
                legs += WriteLegs(legWriter, random, call);
                if ((i + 1) % report == 0)
                {
                    Console.WriteLine(string.Create(Inv, $"  {i + 1:N0} calls, {legs:N0} legs ({(i + 1) / watch.Elapsed.TotalSeconds:N0} calls/s)"));
                }
            }

            callWriter.Complete();
            legWriter.Complete();
        }

        Console.WriteLine(string.Create(Inv, $"  {calls:N0} calls and {legs:N0} legs ({legs / (double)calls:F2} legs per call) copied in {watch.Elapsed.TotalSeconds:F0} s"));
    }

    private NpgsqlConnection OpenForCopy()
    {
        var connection = dataSource.OpenConnection();
        // Replica mode skips the foreign-key triggers during the load: every reference written is generated valid
        // (rooms and users first), and a per-row trigger lookup would dominate the COPY.
        using var command = new NpgsqlCommand("SET session_replication_role = replica", connection);
        command.ExecuteNonQuery();
        return connection;
    }

    private static void CopyUsers(NpgsqlConnection connection)
    {
        using var writer = connection.BeginBinaryImport("COPY users (id, display_name, phone_number, is_admin) FROM STDIN (FORMAT BINARY)");
        for (var u = 0; u < Users; u++)
        {
            writer.StartRow();
            writer.Write(UserId(u), NpgsqlDbType.Text);
            writer.Write(string.Create(Inv, $"User {u}"), NpgsqlDbType.Text);
            WriteText(writer, UserPhone(u));
            writer.Write(u == 0, NpgsqlDbType.Boolean);
        }

        writer.Complete();
    }

    private void CopyRooms(NpgsqlConnection connection)
    {
        using var writer = connection.BeginBinaryImport(
            "COPY rooms (id, caller_user_id, callee_user_id, callee_number, media, created_at) FROM STDIN (FORMAT BINARY)");
        for (var r = 0L; r < Rooms; r++)
        {
            var room = Room(r);
            writer.StartRow();
            writer.Write(room.Id, NpgsqlDbType.Text);
            writer.Write(UserId(room.Caller), NpgsqlDbType.Text);
            WriteText(writer, room.Callee is { } c ? UserId(c) : null);
            WriteText(writer, room.Number);
            writer.Write(room.Video ? "video" : "audio", NpgsqlDbType.Text);
            writer.Write(start, NpgsqlDbType.TimestampTz);
        }

        writer.Complete();
    }

    internal static void WriteText(NpgsqlBinaryImporter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.Write(value, NpgsqlDbType.Text);
        }
    }
}
