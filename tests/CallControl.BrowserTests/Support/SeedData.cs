using Dapper;
using Npgsql;

namespace CallControl.BrowserTests.Support;

/// <summary>
/// The known data set the browser tests read, written straight into the run's fresh database:
/// <list type="bullet">
/// <item><see cref="Day"/>: 14 calls of callers alice, bob, carol and dave with every outcome (the analytics and
/// status-filter set), among them <see cref="FallbackCallId"/>, a call the callee missed in the app and answered on
/// the phone, with its state history, two legs and DTMF;</item>
/// <item><see cref="PagingDay"/>: <see cref="PagingCalls"/> completed calls of caller <see cref="PagingCaller"/>, one a
/// minute (for keyset paging);</item>
/// <item><see cref="RecordedCallId"/> on <see cref="PagingDay"/>: a call with a recording id that is not archived.</item>
/// </list>
/// </summary>
public static class SeedData
{
    public static readonly DateTime Day = new(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime PagingDay = new(2026, 3, 11, 0, 0, 0, DateTimeKind.Utc);
    public const string PagingCaller = "pager";
    public const int PagingCalls = 30;
    public static readonly Guid FallbackCallId = Guid.Parse("6f0c2a55-0d7e-4b0e-9a43-1d2f3c4b5a61");
    public static readonly Guid RecordedCallId = Guid.Parse("0b7d1e92-5c3a-4f8e-b1d6-7a9e2c4f6b03");
    public const string RecordingId = "2f6a9c1e-3b5d-4e7f-8a0c-1d2e3f4a5b6c";
    public static readonly Guid CallerLeg = Guid.Parse("a1a1a1a1-0000-4000-8000-000000000001");
    public static readonly Guid PstnLeg = Guid.Parse("a1a1a1a1-0000-4000-8000-000000000002");

    /// <summary>One row of the day: status, how it ended, and the times that make the stats.</summary>
    public sealed record DayCall(string Caller, string? Callee, string? Number, string Status, string? AnsweredVia, string? FallbackReason,
        bool PstnDialed, int? RingSeconds, int? SetupSeconds, int Duration, int? Billsec, string HangupCause, string Node);

    /// <summary>The day's calls, in start order (one every 25 minutes from 09:00 UTC).</summary>
    public static readonly DayCall[] DayCalls =
    [
        new("alice", "bob", null, "completed", "app", null, false, 2, 5, 70, 60, "NORMAL_CLEARING", "fs1"),
        new("alice", "carol", null, "busy", null, null, false, 2, null, 4, null, "USER_BUSY", "fs1"),
        new("bob", "alice", null, "completed", "app", null, false, 2, 7, 130, 120, "NORMAL_CLEARING", "fs2"),
        new("carol", "dave", null, "refused", null, null, false, 2, null, 6, null, "CALL_REJECTED", "fs1"),
        new("dave", null, "+15551230002", "no_answer", null, "no_answer", true, 2, null, 45, null, "NO_ANSWER", "fs2"),
        new("alice", "bob", null, "completed", "app", null, false, 2, 9, 40, 30, "NORMAL_CLEARING", "fs1"),
        new("bob", "carol", null, "busy", null, null, false, 2, null, 3, null, "USER_BUSY", "fs2"),
        new("carol", "alice", null, "canceled", null, null, false, 2, null, 8, null, "ORIGINATOR_CANCEL", "fs1"),
        new("dave", "bob", "+15551230001", "completed", "pstn", "offline", true, 2, 13, 60, 45, "NORMAL_CLEARING", "fs2"),
        new("alice", "dave", null, "failed", null, null, false, null, null, 1, null, "DESTINATION_OUT_OF_ORDER", "fs1"),
        new("bob", "alice", null, "completed", "app", null, false, 2, 11, 100, 90, "NORMAL_CLEARING", "fs1"),
        new("carol", "bob", null, "busy", null, null, false, 2, null, 5, null, "USER_BUSY", "fs2"),
        new("dave", "carol", null, "no_answer", null, null, false, 2, null, 30, null, "NO_ANSWER", "fs1"),
        new("alice", "carol", null, "refused", null, null, false, 2, null, 7, null, "CALL_REJECTED", "fs2"),
    ];

    /// <summary>Index in <see cref="DayCalls"/> of <see cref="FallbackCallId"/>.</summary>
    public const int FallbackIndex = 8;

    /// <summary>The fallback call's state history: (from, to, reason, seconds after the start), in order.</summary>
    public static readonly (string? From, string To, string? Reason, double At)[] FallbackHistory =
    [
        (null, "ringing", "room_call", 0),
        ("ringing", "fallback-dialing", "callee_offline", 2.5),
        ("fallback-dialing", "answered", "pstn_answer", 13),
        ("answered", "completed", "caller_hangup", 60),
    ];

    public static DateTime DayCallStart(int index) => Day.AddHours(9).AddMinutes(25 * index);

    public static async Task WriteAsync(NpgsqlDataSource database)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var user in new[] { "alice", "bob", "carol", "dave", PagingCaller })
        {
            await connection.ExecuteAsync(
                "INSERT INTO users (id, display_name, phone_number) VALUES (@user, @name, '+15551230001')",
                new { user, name = "User " + user }, tx);
            await connection.ExecuteAsync(
                "INSERT INTO rooms (id, caller_user_id, callee_number, media) VALUES (@room, @user, '+15551230001', 'audio')",
                new { room = "room-" + user, user }, tx);
        }

        for (var i = 0; i < DayCalls.Length; i++)
        {
            await InsertDayCallAsync(connection, tx, i);
        }

        await InsertFallbackDetailAsync(connection, tx);
        for (var i = 0; i < PagingCalls; i++)
        {
            var start = PagingDay.AddHours(8).AddMinutes(i);
            await InsertAsync(connection, tx, Guid.NewGuid(), PagingCaller, "alice", null, "completed", "app", null, null,
                start, start.AddSeconds(1), start.AddSeconds(4), 20, 16, "NORMAL_CLEARING", "fs1", null);
        }

        var recorded = PagingDay.AddHours(20);
        await InsertAsync(connection, tx, RecordedCallId, "alice", "bob", null, "completed", "app", null, null,
            recorded, recorded.AddSeconds(1), recorded.AddSeconds(3), 50, 47, "NORMAL_CLEARING", "fs1", RecordingId);
        await tx.CommitAsync();
    }

    private static Task<int> InsertDayCallAsync(NpgsqlConnection connection, NpgsqlTransaction tx, int i)
    {
        var c = DayCalls[i];
        var start = DayCallStart(i);
        var id = i == FallbackIndex ? FallbackCallId : Guid.NewGuid();
        return InsertAsync(connection, tx, id, c.Caller, c.Callee, c.Number, c.Status, c.AnsweredVia, c.FallbackReason,
            c.PstnDialed ? start.AddSeconds(3) : null, start,
            c.RingSeconds is { } ring ? start.AddSeconds(ring) : null,
            c.SetupSeconds is { } setup ? start.AddSeconds(setup) : null,
            c.Duration, c.Billsec, c.HangupCause, c.Node, null);
    }

    private static Task<int> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, string caller, string? callee, string? number,
        string status, string? answeredVia, string? fallbackReason, DateTime? pstnDialedAt, DateTime start, DateTime? ringingAt,
        DateTime? answeredAt, int duration, int? billsec, string hangupCause, string node, string? recordingId) =>
        connection.ExecuteAsync("""
            INSERT INTO calls (id, room_id, caller, callee, callee_number, media, status, answered_via, fallback_reason,
                               created_at, ringing_at, answered_at, ended_at, duration, billsec, hangup_cause,
                               freeswitch_node, pstn_dialed_at, recording_id)
            VALUES (@id, @room, @caller, @callee, @number, 'audio', @status, @answeredVia, @fallbackReason,
                    @start, @ringingAt, @answeredAt, @endedAt, @duration, @billsec, @hangupCause,
                    @node, @pstnDialedAt, @recordingId)
            """,
            new
            {
                id, room = "room-" + caller, caller, callee, number, status, answeredVia, fallbackReason, start, ringingAt,
                answeredAt, endedAt = start.AddSeconds(duration), duration, billsec, hangupCause, node, pstnDialedAt, recordingId,
            },
            tx);

    private static async Task InsertFallbackDetailAsync(NpgsqlConnection connection, NpgsqlTransaction tx)
    {
        var start = DayCallStart(FallbackIndex);
        foreach (var (from, to, reason, at) in FallbackHistory)
        {
            await connection.ExecuteAsync(
                "INSERT INTO call_state_history (call_id, from_status, to_status, reason, at) VALUES (@id, @from, @to, @reason, @at)",
                new { id = FallbackCallId, from, to, reason, at = start.AddSeconds(at) }, tx);
        }

        const string legSql = """
            INSERT INTO call_legs (leg_uuid, call_id, role, channel_name, direction, start_at, answer_at, end_at, duration,
                                   billsec, hangup_cause, sip_term_status, read_codec, write_codec, source, freeswitch_node)
            VALUES (@leg, @id, @role, @channel, @direction, @startAt, @answerAt, @endAt, @duration, @billsec,
                    'NORMAL_CLEARING', @sip, 'opus', @codec, 'both', 'fs2')
            """;
        await connection.ExecuteAsync(legSql, new
        {
            leg = CallerLeg, id = FallbackCallId, role = "caller", channel = "verto.rtc/u-dave", direction = "inbound",
            startAt = start, answerAt = start.AddSeconds(13), endAt = start.AddSeconds(60), duration = 60, billsec = 47,
            sip = (string?)null, codec = "opus",
        }, tx);
        await connection.ExecuteAsync(legSql, new
        {
            leg = PstnLeg, id = FallbackCallId, role = "pstn", channel = "sofia/gateway/carrier/+15551230001", direction = "outbound",
            startAt = start.AddSeconds(3), answerAt = start.AddSeconds(13), endAt = start.AddSeconds(60), duration = 57, billsec = 47,
            sip = "200", codec = "PCMU",
        }, tx);
        await connection.ExecuteAsync("""
            INSERT INTO call_dtmf (call_id, leg_uuid, role, digit, duration_ms, source, at)
            VALUES (@id, @leg, 'pstn', '•', 120, 'pressed', @at)
            """, new { id = FallbackCallId, leg = PstnLeg, at = start.AddSeconds(20) }, tx);
    }
}
