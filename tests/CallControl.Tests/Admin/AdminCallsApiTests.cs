using System.Net;
using System.Net.Http.Json;
using CallControl.Tests.Support;
using Dapper;

namespace CallControl.Tests.Admin;

[Collection(DatabaseGroup.Name)]
public sealed class AdminCallsApiTests(DatabaseFixture db) : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly AdminData _data = new(db);
    private TestWebHost _host = null!;

    public async Task InitializeAsync() => _host = await AdminData.StartHostAsync(db);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<PageDto> PageAsync(string query)
    {
        using var response = await _host.Http.SendAsync(AdminData.Get("/api/admin/calls?" + query));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PageDto>(AdminData.Json))!;
    }

    /// <summary>Five calls of one unique caller, each differing in what one filter looks at.</summary>
    private async Task<(string Caller, string Room, Guid[] Ids, Guid RoomsFirstCall)> SeedAsync()
    {
        var caller = AdminData.Unique("caller");
        var (room, first) = await _data.RoomWithCallAsync();
        var ids = new[]
        {
            await _data.InsertAsync(new SeedCall
            {
                RoomId = room, Caller = caller, Callee = "bob", Status = "completed", AnsweredVia = "app",
                CreatedAt = T0, AnsweredAt = T0.AddSeconds(3), Duration = 60, Billsec = 57, HangupCause = "NORMAL_CLEARING",
                FreeswitchNode = "fs-a",
            }),
            await _data.InsertAsync(new SeedCall
            {
                RoomId = room, Caller = caller, CalleeNumber = "+15550001111", Status = "completed", AnsweredVia = "pstn",
                FallbackReason = "no_answer", PstnDialedAt = T0.AddMinutes(1).AddSeconds(20), CreatedAt = T0.AddMinutes(1),
                Duration = 120, Billsec = 90, HangupCause = "NORMAL_CLEARING", FreeswitchNode = "fs-b",
            }),
            await _data.InsertAsync(new SeedCall
            {
                RoomId = room, Caller = caller, Callee = "carol", Status = "busy", CreatedAt = T0.AddMinutes(2),
                Duration = 5, HangupCause = "USER_BUSY", FreeswitchNode = "fs-a",
            }),
            await _data.InsertAsync(new SeedCall
            {
                RoomId = room, Caller = caller, CalleeNumber = "+15560002222", Status = "no_answer", CreatedAt = T0.AddMinutes(3),
                FallbackReason = "offline", PstnDialedAt = T0.AddMinutes(3), Duration = 30, HangupCause = "NO_ANSWER",
            }),
            await _data.InsertAsync(new SeedCall
            {
                RoomId = room, Caller = caller, Callee = "bob", Status = "canceled", CreatedAt = T0.AddMinutes(4),
                Duration = 2, HangupCause = "ORIGINATOR_CANCEL",
            }),
        };
        return (caller, room, ids, first);
    }

    [Theory]
    [InlineData("", new[] { 4, 3, 2, 1, 0 })]
    [InlineData("&status=completed", new[] { 1, 0 })]
    [InlineData("&status=busy&status=canceled", new[] { 4, 2 })]
    [InlineData("&status=busy,no_answer", new[] { 3, 2 })]
    [InlineData("&answeredVia=pstn", new[] { 1 })]
    [InlineData("&answeredVia=app", new[] { 0 })]
    [InlineData("&fallback=true", new[] { 3, 1 })]
    [InlineData("&fallback=false", new[] { 4, 2, 0 })]
    [InlineData("&callee=bob", new[] { 4, 0 })]
    [InlineData("&calleeNumber=%2B1555", new[] { 1 })]
    [InlineData("&calleeNumber=%2B155", new[] { 3, 1 })]
    [InlineData("&node=fs-a", new[] { 2, 0 })]
    [InlineData("&hangupCause=USER_BUSY", new[] { 2 })]
    [InlineData("&minDuration=30", new[] { 3, 1, 0 })]
    [InlineData("&from=2026-05-01T12:01:00Z&to=2026-05-01T12:03:00Z", new[] { 2, 1 })]
    [InlineData("&from=2026-05-01T14:01:00%2B02:00", new[] { 4, 3, 2, 1 })]
    [InlineData("&sort=asc", new[] { 0, 1, 2, 3, 4 })]
    public async Task List_with_a_filter_returns_exactly_the_matching_calls_newest_first(string query, int[] expected)
    {
        var (caller, _, ids, _) = await SeedAsync();

        var page = await PageAsync("caller=" + caller + query);

        Assert.Equal(expected.Select(i => ids[i]), page.Items.Select(c => c.Id));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task List_by_room_returns_only_that_rooms_calls()
    {
        var (_, room, ids, first) = await SeedAsync();
        await SeedAsync();

        var page = await PageAsync("room=" + room);

        // The fixture's ringing call was created now, after the seeded ones (May 2026).
        Assert.Equal([first, .. ids.Reverse()], page.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task List_with_includeLegs_adds_each_calls_legs()
    {
        var (caller, _, ids, _) = await SeedAsync();
        var leg = Guid.NewGuid();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO call_legs (leg_uuid, call_id, role, source) VALUES (@leg, @call, 'caller', 'event')",
                new { leg, call = ids[2] });
        }

        var with = await PageAsync("caller=" + caller + "&includeLegs=true");
        var without = await PageAsync("caller=" + caller);

        Assert.Equal([leg], with.Items.Single(c => c.Id == ids[2]).Legs!.Select(l => l.LegUuid));
        Assert.Empty(with.Items.Single(c => c.Id == ids[0]).Legs!);
        Assert.All(without.Items, c => Assert.Null(c.Legs));
    }

    [Theory]
    [InlineData("")]
    [InlineData("&sort=asc")]
    public async Task Paging_across_inserts_made_between_pages_skips_and_repeats_nothing(string sort)
    {
        var caller = AdminData.Unique("pager");
        var room = await _data.RoomAsync();
        var start = DateTime.UtcNow.AddMinutes(-10);
        var seeded = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            seeded.Add(await _data.InsertAsync(new SeedCall { RoomId = room, Caller = caller, CreatedAt = start.AddSeconds(i) }));
        }

        // Two calls share an instant: the id breaks the tie, so neither is lost at a page edge.
        seeded.Add(await _data.InsertAsync(new SeedCall { RoomId = room, Caller = caller, CreatedAt = start.AddSeconds(3) }));
        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await PageAsync($"caller={caller}&limit=3{sort}" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.Items.Select(c => c.Id));
            cursor = page.NextCursor;
            pages++;
            // New calls arrive while an admin pages (they are newer than every seeded one).
            await _data.InsertAsync(new SeedCall { RoomId = room, Caller = caller, CreatedAt = DateTime.UtcNow });
        }
        while (cursor is not null && pages < 20);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(seeded, id => Assert.Contains(id, seen));
        Assert.True(pages >= 3);
    }

    [Fact]
    public async Task Detail_returns_the_call_its_legs_and_its_state_history()
    {
        var call = await db.NewCallAsync();
        await db.Calls.TransitionAsync(call.Id, call.Version, new CallControl.Data.CallChange
        {
            ToStatus = "busy", Reason = "callee_busy", At = DateTime.UtcNow,
        });
        var leg = Guid.NewGuid();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO call_legs (leg_uuid, call_id, role, hangup_cause, source) VALUES (@leg, @call, 'callee', 'USER_BUSY', 'both')",
                new { leg, call = call.Id });
            await connection.ExecuteAsync(
                "INSERT INTO call_dtmf (call_id, leg_uuid, role, digit, duration_ms, source, at) VALUES (@call, @leg, 'callee', '•', 250, 'pressed', now())",
                new { leg, call = call.Id });
        }

        using var response = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls/{call.Id}"));
        var detail = await response.Content.ReadFromJsonAsync<DetailDto>(AdminData.Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(call.Id, detail!.Call.Id);
        Assert.Equal("busy", detail.Call.Status);
        Assert.Equal([leg], detail.Legs.Select(l => l.LegUuid));
        Assert.Equal(["ringing", "busy"], detail.History.Select(h => h.ToStatus));
        var dtmf = Assert.Single(detail.Dtmf);
        Assert.Equal((leg, "callee", "•", 250, "pressed"), (dtmf.LegUuid, dtmf.Role, dtmf.Digit, dtmf.DurationMs, dtmf.Source));
    }

    [Fact]
    public async Task Detail_includes_the_calls_recordings_with_state_archive_and_a_download_url_once_archived()
    {
        var call = await db.NewCallAsync();
        var failed = Guid.NewGuid();
        var archived = Guid.NewGuid();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO recordings (id, call_id, room_id, freeswitch_node, node_path, relative_path, state, started_at,
                                        stopped_at, duration_ms, attempts, failure_reason, failed_at)
                VALUES (@failed, @call, @room, 'fs-a', '/rec/a.wav', 'a.wav', 'failed', '2026-05-01 12:00:00Z',
                        '2026-05-01 12:00:30Z', 30000, 3, 'checksum mismatch', '2026-05-01 12:05:00Z');
                INSERT INTO recordings (id, call_id, room_id, freeswitch_node, node_path, relative_path, state, started_at,
                                        stopped_at, duration_ms, archive_store, archive_format, archive_size_bytes,
                                        archive_sha256, archive_duration_ms, archived_at, attempts)
                VALUES (@archived, @call, @room, 'fs-a', '/rec/b.wav', 'b.wav', 'archived', '2026-05-01 12:01:00Z',
                        '2026-05-01 12:02:00Z', 60000, 'filesystem', 'ogg/opus', 123456, 'ab12', 59980,
                        '2026-05-01 12:03:00Z', 1);
                """, new { failed, archived, call = call.Id, room = call.RoomId });
        }

        var detail = await DetailAsync(call.Id);
        var bare = await DetailAsync((await db.NewCallAsync()).Id);

        Assert.Equal([failed, archived], detail.Recordings.Select(r => r.Id));
        var first = detail.Recordings[0];
        Assert.Equal(("failed", 30000L, 3, "checksum mismatch", (string?)null), (first.State, first.DurationMs!.Value, first.Attempts, first.FailureReason, first.DownloadUrl));
        var latest = detail.Recording!;
        Assert.Equal(archived, latest.Id);
        Assert.Equal(("archived", "filesystem", "ogg/opus", 123456L, 59980L), (latest.State, latest.ArchiveStore, latest.ArchiveFormat, latest.ArchiveSizeBytes!.Value, latest.ArchiveDurationMs!.Value));
        Assert.Equal($"/api/recordings/{archived}", latest.DownloadUrl);
        Assert.Empty(bare.Recordings);
        Assert.Null(bare.Recording);
    }

    [Fact]
    public async Task Detail_without_a_token_is_401_and_for_a_plain_user_403()
    {
        var call = await db.NewCallAsync();

        using var anonymous = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls/{call.Id}", role: null));
        using var user = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls/{call.Id}", role: ""));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
    }

    [Fact]
    public async Task Detail_of_an_unknown_call_is_404()
    {
        using var response = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls/{Guid.NewGuid()}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<DetailDto> DetailAsync(Guid id)
    {
        using var response = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls/{id}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DetailDto>(AdminData.Json))!;
    }

    private sealed record DetailDto(
        CallDto Call, List<LegDto> Legs, List<StateDto> History, List<DtmfDto> Dtmf, List<RecordingDto> Recordings, RecordingDto? Recording);

    private sealed record RecordingDto(
        Guid Id, string State, long? DurationMs, int Attempts, string? FailureReason, string? ArchiveStore, string? ArchiveFormat,
        long? ArchiveSizeBytes, long? ArchiveDurationMs, string? DownloadUrl);

    private sealed record DtmfDto(Guid LegUuid, string Role, string Digit, int DurationMs, string Source);

    private sealed record StateDto(string? FromStatus, string ToStatus);
}
