using System.Net;
using System.Net.Http.Json;
using CallControl.Data;
using CallControl.Tests.Support;
using Dapper;
using Microsoft.Extensions.Configuration;

namespace CallControl.Tests.Admin;

/// <summary>
/// The stats read the hourly rollup that triggers on calls keep (migration 0005): it must stay exact while calls
/// change state through the service's own writer, and equal the figures computed from calls after any mix of writes.
/// Each test uses a year no other test writes into.
/// </summary>
[Collection(DatabaseGroup.Name)]
public sealed class AdminStatsRollupTests(DatabaseFixture db) : IAsyncLifetime
{
    private readonly AdminData _data = new(db);
    private TestWebHost _host = null!;

    public async Task InitializeAsync() => _host = await AdminData.StartHostAsync(db);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Stats_follow_calls_through_their_state_changes_and_ignore_rewrites_of_the_same_values()
    {
        var h9 = new DateTime(2002, 7, 8, 9, 0, 0, DateTimeKind.Utc);
        var room = await _data.RoomAsync();
        var caller = AdminData.Unique("rollup");
        SeedCall Ringing(int minutes, double? rangAfter) => new()
        {
            RoomId = room, Caller = caller, Status = CallStatuses.Ringing, CreatedAt = h9.AddMinutes(minutes),
            RingingAt = rangAfter is { } s ? h9.AddMinutes(minutes).AddSeconds(s) : null,
        };
        var a = await _data.InsertAsync(Ringing(0, 1.5));
        var b = await _data.InsertAsync(Ringing(20, 0.5));
        var c = await _data.InsertAsync(Ringing(40, null));
        var d = await _data.InsertAsync(Ringing(50, 2));
        await _data.InsertAsync(Ringing(65, null));
        const string Hours = "from=2002-07-08T00:00:00Z&to=2002-07-09T00:00:00Z&bucket=hour";

        var ringing = await StatsAsync(Hours);
        Assert.Equal((4L, 0L, 0L), (ringing[0].Calls, ringing[0].Answered, ringing[0].Completed));

        await Transition(a, 1, new CallChange { ToStatus = CallStatuses.Answered, At = h9, AnsweredVia = "app", AnsweredAt = h9.AddSeconds(6) });
        await Transition(b, 1, new CallChange
        {
            ToStatus = CallStatuses.FallbackDialing, At = h9, FallbackReason = "busy", PstnDialedAt = h9.AddMinutes(20).AddSeconds(3),
        });
        await Transition(c, 1, new CallChange { ToStatus = CallStatuses.Canceled, At = h9 });
        await Transition(d, 1, new CallChange { ToStatus = CallStatuses.Busy, At = h9 });
        var midway = (await StatsAsync(Hours))[0];
        Assert.Equal((4L, 1L, 0L, 1L, 1L, 1L, 0L), (midway.Calls, midway.Answered, midway.Completed, midway.Busy, midway.Canceled,
            midway.FallbackAttempts, midway.FallbackSuccesses));
        Assert.Null(midway.Acd); // answered, but no billsec yet

        await Transition(a, 2, new CallChange { ToStatus = CallStatuses.Completed, At = h9, Billsec = 40, HangupCause = "NORMAL_CLEARING" });
        await Transition(b, 2, new CallChange { ToStatus = CallStatuses.Answered, At = h9, AnsweredVia = "pstn", AnsweredAt = h9.AddMinutes(20).AddSeconds(20.2) });
        await Transition(b, 3, new CallChange { ToStatus = CallStatuses.Completed, At = h9, Billsec = 100 });
        // A CDR backstop writing what the call already holds, and an update of columns the stats do not read.
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE calls SET status = status, billsec = billsec, hangup_cause = 'NORMAL_CLEARING', version = version + 1 WHERE id = ANY(@ids)",
                new { ids = new[] { a, b } });
        }

        var hours = await StatsAsync(Hours);
        var days = await StatsAsync("from=2002-07-08T00:00:00Z&to=2002-07-09T00:00:00Z&bucket=day");

        Assert.Equal([h9, h9.AddHours(1)], hours.Select(h => h.BucketStart));
        var first = hours[0];
        Assert.Equal((4L, 2L, 2L, 1L, 1L, 1L, 1L), (first.Calls, first.Answered, first.Completed, first.Busy, first.Canceled,
            first.FallbackAttempts, first.FallbackSuccesses));
        Assert.Equal(0.5, first.Asr!.Value, 9);
        Assert.Equal(70, first.Acd!.Value, 9); // (40 + 100) / 2
        Assert.Equal(4.0 / 3, first.Pdd!.Value, 9); // (1.5 + 0.5 + 2) / 3 calls that rang
        Assert.Equal(6.1, first.SetupP50!.Value, 9); // 6 s lies in [6.0, 6.1)
        Assert.Equal(20.5, first.SetupP95!.Value, 9); // 20.2 s lies in [20.0, 20.5)
        var second = hours[1];
        Assert.Equal((1L, 0L, 0.0), (second.Calls, second.Answered, second.Asr));
        Assert.Null(second.Pdd);
        Assert.Null(second.SetupP50);
        var day = Assert.Single(days);
        Assert.Equal((5L, 2L, 0.4, 70.0), (day.Calls, day.Answered, day.Asr, day.Acd));
    }

    [Fact]
    public async Task A_range_off_the_hour_counts_only_the_calls_inside_it()
    {
        var h10 = new DateTime(2003, 2, 3, 10, 0, 0, DateTimeKind.Utc);
        var room = await _data.RoomAsync();
        var caller = AdminData.Unique("edges");
        foreach (var minutes in new[] { 10, 40, 80, 170, 185 })
        {
            await _data.InsertAsync(new SeedCall { RoomId = room, Caller = caller, Status = "busy", CreatedAt = h10.AddMinutes(minutes) });
        }

        var hours = await StatsAsync("from=2003-02-03T10:30:00Z&to=2003-02-03T12:55:00Z&bucket=hour");
        var day = await StatsAsync("from=2003-02-03T10:30:00Z&to=2003-02-03T12:55:00Z&bucket=day");
        var insideOneHour = await StatsAsync("from=2003-02-03T10:05:00Z&to=2003-02-03T10:20:00Z&bucket=hour");
        var acrossOneEdge = await StatsAsync("from=2003-02-03T10:30:00%2B00:00&to=2003-02-03T11:30:00Z&bucket=hour");
        var halfHourZone = await StatsAsync("from=2003-02-03T15:30:00%2B05:30&to=2003-02-03T16:30:00%2B05:30&bucket=hour");

        Assert.Equal([(h10, 1L), (h10.AddHours(1), 1L), (h10.AddHours(2), 1L)], hours.Select(h => (h.BucketStart, h.Calls)));
        Assert.Equal([(h10.Date, 3L)], day.Select(h => (h.BucketStart, h.Calls)));
        Assert.Equal([(h10, 1L)], insideOneHour.Select(h => (h.BucketStart, h.Calls)));
        Assert.Equal([(h10, 1L), (h10.AddHours(1), 1L)], acrossOneEdge.Select(h => (h.BucketStart, h.Calls)));
        // 10:00 to 11:00 UTC: the calls at 10:10 and 10:40.
        Assert.Equal([(h10, 2L)], halfHourZone.Select(h => (h.BucketStart, h.Calls)));
    }

    [Fact]
    public async Task The_rollup_equals_the_figures_computed_from_calls_after_inserts_updates_and_deletes()
    {
        var room = await _data.RoomAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO calls (id, room_id, caller, media, status, answered_via, fallback_reason, created_at, ringing_at,
                               answered_at, billsec, pstn_dialed_at)
            SELECT gen_random_uuid(), @room, 'mix', 'audio',
                   (ARRAY['completed','busy','refused','canceled','no_answer','failed','offline','ringing','answered'])[1 + n % 9],
                   CASE WHEN n % 9 IN (0, 8) THEN CASE WHEN n % 2 = 0 THEN 'app' ELSE 'pstn' END END,
                   CASE WHEN n % 5 = 0 THEN 'busy' END,
                   t, CASE WHEN n % 7 <> 0 THEN t + n % 1500 * interval '1 ms' END,
                   CASE WHEN n % 9 IN (0, 8) THEN t + n % 700 * interval '1 s' / 7.3 END,
                   CASE WHEN n % 9 IN (0, 8) AND n % 11 <> 0 THEN n % 300 END,
                   CASE WHEN n % 3 = 0 THEN t END
            FROM generate_series(1, 3000) AS n,
                 LATERAL (SELECT timestamptz '2004-01-01 00:00:00Z' + n * interval '37 s' AS t) AS x
            """, new { room });
        await connection.ExecuteAsync("""
            UPDATE calls SET status = 'completed', answered_at = created_at + interval '3 s', billsec = 10
            WHERE caller = 'mix' AND status = 'ringing';
            UPDATE calls SET version = version + 1 WHERE caller = 'mix' AND status = 'busy';
            UPDATE calls SET created_at = created_at + interval '2 hours' WHERE caller = 'mix' AND status = 'offline';
            UPDATE calls SET answered_at = NULL, answered_via = NULL WHERE caller = 'mix' AND status = 'answered' AND billsec IS NULL;
            DELETE FROM calls WHERE caller = 'mix' AND status = 'refused' AND extract(minute FROM created_at) < 20;
            """);

        var differing = await connection.ExecuteScalarAsync<long>("""
            SELECT count(*)
            FROM ((SELECT * FROM call_stats_hourly WHERE bucket_start >= @from AND bucket_start < @to AND calls <> 0
                   EXCEPT ALL SELECT * FROM call_stats_compute(@from, @to))
                  UNION ALL
                  (SELECT * FROM call_stats_compute(@from, @to)
                   EXCEPT ALL SELECT * FROM call_stats_hourly WHERE bucket_start >= @from AND bucket_start < @to AND calls <> 0)) AS d
            """, new { from = new DateTime(2004, 1, 1, 0, 0, 0, DateTimeKind.Utc), to = new DateTime(2004, 1, 3, 0, 0, 0, DateTimeKind.Utc) });
        var hoursKept = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM call_stats_hourly WHERE bucket_start >= '2004-01-01Z' AND bucket_start < '2004-01-03Z' AND calls <> 0");
        var callsKept = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM calls WHERE caller = 'mix'");
        var rolledUp = await connection.ExecuteScalarAsync<long>(
            "SELECT sum(calls) FROM call_stats_hourly WHERE bucket_start >= '2004-01-01Z' AND bucket_start < '2004-01-03Z'");

        Assert.Equal(0, differing);
        Assert.True(hoursKept > 24, $"{hoursKept} hours");
        Assert.Equal(callsKept, rolledUp);
    }

    [Fact]
    public async Task Concurrent_writers_append_pending_rows_and_the_folds_move_them_without_changing_a_figure()
    {
        var room = await _data.RoomAsync();
        var hour = new DateTime(2005, 3, 4, 10, 0, 0, DateTimeKind.Utc);
        var connections = new List<Npgsql.NpgsqlConnection>();
        try
        {
            // Four sessions open at once (four backends), each inserting and then updating calls of the same hour.
            for (var i = 0; i < 4; i++)
            {
                connections.Add(await db.DataSource.OpenConnectionAsync());
            }

            await Task.WhenAll(connections.Select((connection, i) => connection.ExecuteAsync("""
                INSERT INTO calls (id, room_id, caller, media, status, created_at, ringing_at)
                SELECT gen_random_uuid(), @room, 'stripes', 'audio', 'ringing', @hour + (@i * 10 + n) * interval '1 min', @hour + (@i * 10 + n) * interval '1 min' + interval '2 s'
                FROM generate_series(1, 5) AS n;
                UPDATE calls SET status = 'completed', answered_at = created_at + interval '4 s', billsec = 30
                WHERE caller = 'stripes' AND created_at = @hour + (@i * 10 + 1) * interval '1 min';
                """, new { room, hour, i })));

            await using var check = await db.DataSource.OpenConnectionAsync();
            const string Pending = "SELECT count(*) FROM call_stats_pending WHERE date_trunc('hour', created_at, 'UTC') = @hour";
            const string Stripes = "SELECT stripe FROM call_stats_hourly_stripes WHERE bucket_start = @hour ORDER BY stripe";
            // 20 inserts (+1 each) and 4 updates (-1 and +1 each) appended 28 rows, and no call's statement wrote a
            // stripe row (a service host sharing this database may have folded some of them into stripe 0 already).
            var pending = await check.ExecuteScalarAsync<long>(Pending, new { hour });
            var stripesNow = (await check.QueryAsync<int>(Stripes, new { hour })).ToList();
            Assert.True(pending == 28 || (pending < 28 && stripesNow.SequenceEqual([0])), $"{pending} pending, stripes {string.Join(",", stripesNow)}");
            Assert.All(stripesNow, stripe => Assert.Equal(0, stripe));
            const string Differing = """
                SELECT count(*)
                FROM ((SELECT * FROM call_stats_hourly WHERE bucket_start = @hour EXCEPT ALL SELECT * FROM call_stats_compute(@hour, @hour + interval '1 hour'))
                      UNION ALL
                      (SELECT * FROM call_stats_compute(@hour, @hour + interval '1 hour') EXCEPT ALL SELECT * FROM call_stats_hourly WHERE bucket_start = @hour)) AS d
                """;
            Assert.Equal(0, await check.ExecuteScalarAsync<long>(Differing, new { hour }));
            var before = await check.QuerySingleAsync<(int Calls, int Completed, int Rang)>(
                "SELECT calls, completed, rang FROM call_stats_hourly WHERE bucket_start = @hour", new { hour });
            Assert.Equal((20, 4, 20), before);

            var folder = new CallControl.Cdr.Query.CallStatsFolder(
                db.DataSource, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<CallControl.Cdr.Query.CallStatsFolder>.Instance);
            await folder.FoldPendingAsync(CancellationToken.None);

            Assert.Equal(0, await check.ExecuteScalarAsync<long>(Pending, new { hour }));
            Assert.Equal([0], await check.QueryAsync<int>(Stripes, new { hour }));
            Assert.Equal(0, await check.ExecuteScalarAsync<long>(Differing, new { hour }));
            Assert.Equal(before, await check.QuerySingleAsync<(int Calls, int Completed, int Rang)>(
                "SELECT calls, completed, rang FROM call_stats_hourly WHERE bucket_start = @hour", new { hour }));

            // A late change to the folded hour is pending again; the figures stay exact, and the next fold adds it in.
            await connections[0].ExecuteAsync(
                "UPDATE calls SET status = 'canceled' WHERE caller = 'stripes' AND created_at = @hour + interval '2 min'", new { hour });
            Assert.InRange(await check.ExecuteScalarAsync<long>(Pending, new { hour }), 0, 2);
            Assert.Equal(0, await check.ExecuteScalarAsync<long>(Differing, new { hour }));
            await folder.FoldPendingAsync(CancellationToken.None);
            Assert.Equal(0, await check.ExecuteScalarAsync<long>(Pending, new { hour }));
            Assert.Equal(0, await check.ExecuteScalarAsync<long>(Differing, new { hour }));
            Assert.Equal(0, await folder.FoldAsync(new DateTimeOffset(hour.AddHours(1)), CancellationToken.None));
            Assert.Equal([0], await check.QueryAsync<int>(Stripes, new { hour }));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_folder_running_as_a_service_adds_pending_rows_in_by_itself()
    {
        var room = await _data.RoomAsync();
        var hour = new DateTime(2005, 3, 6, 10, 0, 0, DateTimeKind.Utc);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO calls (id, room_id, caller, media, status, created_at)
            SELECT gen_random_uuid(), @room, 'folder', 'audio', 'ringing', @hour + n * interval '1 min' FROM generate_series(1, 3) AS n
            """, new { room, hour });
        var folder = new CallControl.Cdr.Query.CallStatsFolder(
            db.DataSource,
            new Microsoft.Extensions.Configuration.ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Admin:StatsPendingFoldInterval"] = "00:00:00.100" }).Build(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CallControl.Cdr.Query.CallStatsFolder>.Instance);
        Assert.Equal(TimeSpan.FromMilliseconds(100), folder.PendingInterval);

        await folder.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await connection.ExecuteScalarAsync<long>(
                       "SELECT count(*) FROM call_stats_pending WHERE date_trunc('hour', created_at, 'UTC') = @hour", new { hour }) > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the pending rows were not folded within 10 s");
                await Task.Delay(50);
            }
        }
        finally
        {
            await folder.StopAsync(CancellationToken.None);
        }

        Assert.Equal(3, await connection.ExecuteScalarAsync<int>(
            "SELECT calls FROM call_stats_hourly_stripes WHERE bucket_start = @hour AND stripe = 0", new { hour }));
    }

    [Fact]
    public async Task Stripes_left_by_the_earlier_triggers_are_still_merged_by_the_hourly_fold()
    {
        var hour = new DateTime(2005, 3, 5, 10, 0, 0, DateTimeKind.Utc);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        // As 0010's triggers left them: two writers' stripes of an hour.
        await connection.ExecuteAsync("""
            INSERT INTO call_stats_hourly_stripes
                (bucket_start, stripe, calls, answered, completed, busy, refused, canceled, no_answer, failed, offline,
                 fallback_attempts, fallback_successes, billsec_calls, billsec_sum, rang, pdd_us_sum, setup_hist)
            SELECT @hour, s, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 30, 2, 0, array_fill(0, ARRAY[309])
            FROM (VALUES (3::smallint), (7::smallint)) AS v(s)
            """, new { hour });
        var folder = new CallControl.Cdr.Query.CallStatsFolder(
            db.DataSource, new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CallControl.Cdr.Query.CallStatsFolder>.Instance);

        Assert.Equal(1, await folder.FoldAsync(new DateTimeOffset(hour.AddHours(1)), CancellationToken.None));

        Assert.Equal((0, 4, 60L), await connection.QuerySingleAsync<(int Stripe, int Calls, long Billsec)>(
            "SELECT stripe, calls, billsec_sum FROM call_stats_hourly_stripes WHERE bucket_start = @hour", new { hour }));
        await connection.ExecuteAsync("DELETE FROM call_stats_hourly_stripes WHERE bucket_start = @hour", new { hour });
    }

    private async Task Transition(Guid id, int version, CallChange change) =>
        Assert.Equal(TransitionOutcome.Applied, await db.Calls.TransitionAsync(id, version, change));

    private async Task<List<StatsBucketDto>> StatsAsync(string query)
    {
        using var response = await _host.Http.SendAsync(AdminData.Get("/api/admin/stats?" + query));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<StatsBucketDto>>(AdminData.Json))!;
    }
}
