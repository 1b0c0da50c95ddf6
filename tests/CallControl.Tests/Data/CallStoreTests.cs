using CallControl.Data;
using CallControl.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallControl.Tests.Data;

[Collection(DatabaseGroup.Name)]
public sealed class CallStoreTests(DatabaseFixture db)
{
    private static readonly DateTime T0 = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task CreateAsync_writes_the_call_at_version_1_with_a_first_history_row()
    {
        var call = await db.NewCallAsync();

        var read = await db.Calls.GetWithHistoryAsync(call.Id);

        Assert.NotNull(read);
        Assert.Equal(1, read.Call.Version);
        Assert.Equal(CallStatuses.Ringing, read.Call.Status);
        var first = Assert.Single(read.History);
        Assert.Null(first.FromStatus);
        Assert.Equal(CallStatuses.Ringing, first.ToStatus);
        Assert.Equal("room_call", first.Reason);
    }

    [Fact]
    public async Task A_final_transition_closes_the_room_and_stamps_the_calls_recordings_in_the_same_statement()
    {
        var call = await db.NewCallAsync();
        var recordings = new CallControl.Calls.Recording.RecordingStore(db.DataSource);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        foreach (var id in new[] { first, second })
        {
            await recordings.InsertStartedAsync(new CallControl.Calls.Recording.StartedRecording(
                id, call.Id, "fs1", Guid.NewGuid(), $"/rec/{id}.wav", $"{id}.wav", T0), CancellationToken.None);
        }

        // Not final: the room stays open, the recordings do not learn an end.
        var answered = await db.Calls.ApplyAsync(call.Id, 1, new CallChange
        {
            ToStatus = CallStatuses.Answered, Reason = "CHANNEL_ANSWER", AnsweredVia = "app", AnsweredAt = T0, At = T0,
        });
        Assert.Equal(TransitionOutcome.Applied, answered.Outcome);
        Assert.Empty(answered.EndedRecordings);
        Assert.Equal("open", (await db.Rooms.GetAsync(call.RoomId))!.State);
        Assert.Equal(0, await EndedRecordingsAsync(call.Id));

        // A stale version changes nothing at all.
        var stale = await db.Calls.ApplyAsync(call.Id, 1, new CallChange
        {
            ToStatus = CallStatuses.Completed, Reason = "late", At = T0.AddSeconds(9), EndedAt = T0.AddSeconds(9),
        });
        Assert.Equal(TransitionOutcome.VersionConflict, stale.Outcome);
        Assert.Equal("open", (await db.Rooms.GetAsync(call.RoomId))!.State);
        Assert.Equal(0, await EndedRecordingsAsync(call.Id));

        var completed = await db.Calls.ApplyAsync(call.Id, 2, new CallChange
        {
            ToStatus = CallStatuses.Completed, Reason = "caller_hung_up", At = T0.AddSeconds(30), EndedAt = T0.AddSeconds(30),
        });
        Assert.Equal(TransitionOutcome.Applied, completed.Outcome);
        Assert.Equal(new[] { first, second }.Order(), completed.EndedRecordings.Order());
        Assert.Equal("closed", (await db.Rooms.GetAsync(call.RoomId))!.State);
        Assert.Equal(2, await EndedRecordingsAsync(call.Id, T0.AddSeconds(30)));
    }

    private async Task<long> EndedRecordingsAsync(Guid callId, DateTime? at = null)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT count(*) FROM recordings WHERE call_id = @callId AND call_ended_at IS NOT NULL AND (@at::timestamptz IS NULL OR call_ended_at = @at)",
            new { callId, at });
    }

    [Fact]
    public async Task A_transition_stays_prepared_whichever_of_its_fields_are_set()
    {
        // The service's tuning (automatic preparation from the second use) on one session, so that session's
        // prepared statements can be read back. Transitions that set different fields (a timestamp here, a null there)
        // must all run the one prepared statement: with types inferred from the values, Npgsql ran most of them
        // unprepared, parsed and planned again each time (bench/load: 1,478 of 4,067 transitions).
        var tuned = new NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.Tune(db.ConnectionString))
        {
            Multiplexing = false,
            MaxPoolSize = 1,
        };
        await using var source = NpgsqlDataSource.Create(tuned.ConnectionString);
        var store = new CallStore(source);
        CallChange[] changes =
        [
            new() { ToStatus = CallStatuses.FallbackDialing, Reason = "callee_busy", FallbackReason = "busy", PstnDialedAt = T0, At = T0 },
            new() { ToStatus = CallStatuses.Answered, Reason = "CHANNEL_ANSWER", AnsweredVia = "pstn", AnsweredAt = T0.AddSeconds(2), At = T0.AddSeconds(2) },
            new() { ToStatus = CallStatuses.Ringing, Reason = "odd", RingDeadline = T0.AddSeconds(30), Duration = 3, SipCode = 180, At = T0.AddSeconds(3) },
        ];
        var transitions = 0;
        for (var i = 0; i < 3; i++)
        {
            var call = await db.NewCallAsync();
            var version = 1;
            foreach (var change in changes)
            {
                Assert.Equal(TransitionOutcome.Applied, (await store.ApplyAsync(call.Id, version++, change)).Outcome);
                transitions++;
            }
        }

        await using var connection = await source.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(sum(generic_plans + custom_plans), 0)::bigint FROM pg_prepared_statements WHERE statement LIKE '%FOR NO KEY UPDATE%'",
            connection);
        var preparedRuns = (long)(await command.ExecuteScalarAsync())!;
        // The first execution runs unprepared (Npgsql prepares from the second use); every later one is prepared.
        Assert.Equal(transitions - 1, preparedRuns);
    }

    [Fact]
    public async Task TransitionAsync_moves_the_status_records_facts_and_appends_history_in_order()
    {
        var call = await db.NewCallAsync();

        var r1 = await db.Calls.TransitionAsync(call.Id, 1, new CallChange
        {
            ToStatus = CallStatuses.FallbackDialing, Reason = "offline", FallbackReason = "offline", At = T0, PstnDialedAt = T0,
        });
        var r2 = await db.Calls.TransitionAsync(call.Id, 2, new CallChange
        {
            ToStatus = CallStatuses.Answered, Reason = "CHANNEL_ANSWER", AnsweredVia = "pstn", AnsweredAt = T0.AddSeconds(5), At = T0.AddSeconds(5),
        });
        var r3 = await db.Calls.TransitionAsync(call.Id, 3, new CallChange
        {
            ToStatus = CallStatuses.Completed, Reason = "NORMAL_CLEARING", At = T0.AddSeconds(65), EndedAt = T0.AddSeconds(65),
            Duration = 65, Billsec = 60, HangupCause = "NORMAL_CLEARING", SipCode = 200, HangupDisposition = "recv_bye", HungUpBy = "callee",
        });

        Assert.Equal([TransitionOutcome.Applied, TransitionOutcome.Applied, TransitionOutcome.Applied], new[] { r1, r2, r3 });
        var read = (await db.Calls.GetWithHistoryAsync(call.Id))!;
        Assert.Equal(4, read.Call.Version);
        Assert.Equal(CallStatuses.Completed, read.Call.Status);
        // Facts from earlier transitions survive later ones that do not mention them.
        Assert.Equal("pstn", read.Call.AnsweredVia);
        Assert.Equal("offline", read.Call.FallbackReason);
        Assert.Equal(T0.AddSeconds(5), read.Call.AnsweredAt);
        Assert.Equal(T0, read.Call.PstnDialedAt);
        Assert.Equal(60, read.Call.Billsec);
        Assert.Equal("NORMAL_CLEARING", read.Call.HangupCause);
        Assert.Equal("callee", read.Call.HungUpBy);
        Assert.Equal(
            [(null, "ringing"), ("ringing", "fallback-dialing"), ("fallback-dialing", "answered"), ("answered", "completed")],
            read.History.Select(h => (h.FromStatus, h.ToStatus)).ToArray());
        Assert.Equal(T0.AddSeconds(65), read.History[^1].At);
    }

    [Fact]
    public async Task TransitionAsync_with_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        var call = await db.NewCallAsync();
        Assert.Equal(TransitionOutcome.Applied, await db.Calls.TransitionAsync(call.Id, 1, new CallChange { ToStatus = CallStatuses.Answered, At = T0 }));

        var stale = await db.Calls.TransitionAsync(call.Id, 1, new CallChange { ToStatus = CallStatuses.Canceled, At = T0, HangupCause = "ORIGINATOR_CANCEL" });

        Assert.Equal(TransitionOutcome.VersionConflict, stale);
        var read = (await db.Calls.GetWithHistoryAsync(call.Id))!;
        Assert.Equal(CallStatuses.Answered, read.Call.Status);
        Assert.Null(read.Call.HangupCause);
        Assert.Equal(2, read.History.Count);
    }

    [Fact]
    public async Task TransitionAsync_racing_writers_on_one_version_exactly_one_wins()
    {
        var call = await db.NewCallAsync();
        string[] targets = [CallStatuses.Busy, CallStatuses.Refused, CallStatuses.Canceled, CallStatuses.Answered, CallStatuses.NoAnswer, CallStatuses.Failed];

        var outcomes = await Task.WhenAll(targets.Select(t =>
            Task.Run(() => db.Calls.TransitionAsync(call.Id, 1, new CallChange { ToStatus = t, At = T0 }))));

        Assert.Single(outcomes, o => o == TransitionOutcome.Applied);
        Assert.Equal(targets.Length - 1, outcomes.Count(o => o == TransitionOutcome.VersionConflict));
        var read = (await db.Calls.GetWithHistoryAsync(call.Id))!;
        Assert.Equal(2, read.History.Count);
        Assert.Equal(read.Call.Status, read.History[^1].ToStatus);
    }

    [Fact]
    public async Task TransitionAsync_of_an_unknown_call_is_NotFound()
    {
        Assert.Equal(
            TransitionOutcome.NotFound,
            await db.Calls.TransitionAsync(Guid.NewGuid(), 1, new CallChange { ToStatus = CallStatuses.Failed, At = T0 }));
    }

    [Fact]
    public async Task GetLatestForRoomAsync_returns_the_rooms_call()
    {
        var call = await db.NewCallAsync();

        var latest = await db.Calls.GetLatestForRoomAsync(call.RoomId);

        Assert.Equal(call.Id, latest?.Id);
        Assert.Null(await db.Calls.GetLatestForRoomAsync("no-such-room"));
    }

    [Fact]
    public async Task The_store_needs_one_pooled_connection_at_a_time_even_with_an_observer_that_needs_one()
    {
        // A pool of one: a method that holds its connection while it, or an observer it calls, rents another waits
        // for itself until the pool's timeout. The webhook observer does open a connection of the same pool.
        var one = new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1, Timeout = 3 };
        await using var source = NpgsqlDataSource.Create(one.ConnectionString);
        var observer = new PoolUsingObserver(source);
        var calls = new CallStore(source, [observer], NullLogger<CallStore>.Instance);
        var template = await db.NewCallAsync();

        // Later than the template's call in the same room, so it is the room's latest.
        var call = await calls.CreateAsync(template with { Id = Guid.NewGuid(), Version = 0, CreatedAt = template.CreatedAt.AddSeconds(1) }, "room_call");
        var moved = await calls.ApplyAsync(call.Id, 1, new CallChange { ToStatus = CallStatuses.Answered, AnsweredAt = T0, At = T0 });
        var latest = await calls.GetLatestForRoomAsync(call.RoomId);

        Assert.Equal(TransitionOutcome.Applied, moved.Outcome);
        Assert.Equal([CallStatuses.Ringing, CallStatuses.Answered], observer.Seen);
        Assert.Equal((call.Id, 2), (latest?.Id, latest?.Version));
    }

    private sealed class PoolUsingObserver(NpgsqlDataSource source) : ICallStatusObserver
    {
        public List<string> Seen { get; } = [];

        public async Task OnCommittedAsync(CallStatusChange change, CancellationToken cancellationToken)
        {
            await using var connection = await source.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT status FROM calls WHERE id = $1", connection) { Parameters = { new() { Value = change.CallId } } };
            Seen.Add((string)(await command.ExecuteScalarAsync(cancellationToken))!);
        }
    }

    [Fact]
    public async Task PstnUsageStore_counts_live_and_recent_carrier_calls_of_the_caller_only()
    {
        var caller = await db.NewUserAsync();
        var now = DateTime.UtcNow;
        var live = await db.NewCallAsync(pstnDialedAt: now.AddMinutes(-1), callerId: caller);
        var ended = await db.NewCallAsync(pstnDialedAt: now.AddHours(-2), callerId: caller);
        await db.Calls.TransitionAsync(ended.Id, 1, new CallChange { ToStatus = CallStatuses.Completed, At = now });
        await db.NewCallAsync(pstnDialedAt: now.AddDays(-3), callerId: caller);          // old: outside the window, but live
        await db.NewCallAsync(pstnDialedAt: null, callerId: caller);                      // app-only: never counts
        await db.NewCallAsync(pstnDialedAt: now);                                         // someone else

        var usage = await db.PstnUsage.GetUsageAsync(caller, now.AddDays(-1));

        Assert.Equal(2, usage.Live);
        Assert.Equal(2, usage.InWindow);
        Assert.NotEqual(Guid.Empty, live.Id);
    }
}
