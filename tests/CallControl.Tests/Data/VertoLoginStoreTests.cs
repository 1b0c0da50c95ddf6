using CallControl.Data;
using CallControl.Tests.Support;
using Dapper;

namespace CallControl.Tests.Data;

/// <summary>
/// Consuming a one-time room login for a parked leg (one statement that checks and marks it), and the directory
/// lookup of logins this instance just stored, answered from memory.
/// </summary>
[Collection(DatabaseGroup.Name)]
public sealed class VertoLoginStoreTests(DatabaseFixture db)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_valid_login_of_this_room_is_consumed_once_and_names_its_user()
    {
        var (room, caller, callee) = await RoomAsync();
        var logins = db.Logins(DatabaseFixture.ClockAt(Now));
        var login = await logins.IssueAsync(room, callee, TimeSpan.FromHours(1));

        Assert.Equal(callee, await logins.ConsumeForCallAsync(login.Login, room, [caller, callee], "leg-1"));
        // A second leg with the same login is someone replaying the password.
        Assert.Null(await logins.ConsumeForCallAsync(login.Login, room, [caller, callee], "leg-2"));
        Assert.Equal(Now.UtcDateTime, await UsedAtAsync(login.Login));
    }

    [Fact]
    public async Task Consuming_again_for_the_same_leg_answers_the_same_and_keeps_the_first_time()
    {
        // A consume whose reply was lost has landed: the retry (or the next owner's reconcile) must adopt the leg, not
        // take it for a replay.
        var (room, caller, callee) = await RoomAsync();
        var login = await db.Logins(DatabaseFixture.ClockAt(Now)).IssueAsync(room, caller, TimeSpan.FromHours(1));
        Assert.Equal(caller, await db.Logins(DatabaseFixture.ClockAt(Now)).ConsumeForCallAsync(login.Login, room, [caller, callee], "leg-1"));

        var later = db.Logins(DatabaseFixture.ClockAt(Now.AddSeconds(9)));
        Assert.Equal(caller, await later.ConsumeForCallAsync(login.Login, room, [caller, callee], "leg-1"));
        Assert.Null(await later.ConsumeForCallAsync(login.Login, room, [caller, callee], "leg-2"));
        Assert.Equal(Now.UtcDateTime, await UsedAtAsync(login.Login));
        // Still only in its own room and for the call's parties.
        var (otherRoom, _, _) = await RoomAsync();
        Assert.Null(await later.ConsumeForCallAsync(login.Login, otherRoom, [caller, callee], "leg-1"));
        Assert.Null(await later.ConsumeForCallAsync(login.Login, room, [callee], "leg-1"));
    }

    [Fact]
    public async Task A_login_of_another_room_or_of_nobody_in_the_call_is_refused_and_left_unused()
    {
        var (room, caller, callee) = await RoomAsync();
        var (otherRoom, _, _) = await RoomAsync();
        var logins = db.Logins(DatabaseFixture.ClockAt(Now));
        var login = await logins.IssueAsync(room, caller, TimeSpan.FromHours(1));

        Assert.Null(await logins.ConsumeForCallAsync(login.Login, otherRoom, [caller, callee], "leg-1"));
        Assert.Null(await logins.ConsumeForCallAsync(login.Login, room, [callee], "leg-1"));
        Assert.Null(await logins.ConsumeForCallAsync("v-no-such-login", room, [caller, callee], "leg-1"));
        Assert.Null(await UsedAtAsync(login.Login));
        Assert.Equal(caller, await logins.ConsumeForCallAsync(login.Login, room, [caller, callee], "leg-1"));
    }

    [Fact]
    public async Task An_expired_login_is_refused_and_left_unused()
    {
        var (room, caller, callee) = await RoomAsync();
        var login = await db.Logins(DatabaseFixture.ClockAt(Now)).IssueAsync(room, caller, TimeSpan.FromMinutes(5));

        var later = db.Logins(DatabaseFixture.ClockAt(Now.AddMinutes(5)));
        Assert.Null(await later.ConsumeForCallAsync(login.Login, room, [caller, callee], "leg-1"));
        Assert.Null(await UsedAtAsync(login.Login));
    }

    [Fact]
    public async Task A_login_this_store_issued_is_looked_up_from_memory_until_the_window_passes_or_it_is_consumed()
    {
        var (room, caller, callee) = await RoomAsync();
        var clock = DatabaseFixture.ClockAt(Now);
        var logins = db.Logins(clock);
        var login = await logins.IssueAsync(room, caller, TimeSpan.FromHours(1));
        // PostgreSQL now says it has expired, so any answer that reads PostgreSQL is null.
        await ExecuteAsync("UPDATE verto_logins SET expires_at = @at WHERE login = @login", new { at = Now.UtcDateTime.AddDays(-1), login = login.Login });

        Assert.Equal(login, await logins.FindValidAsync(login.Login));             // from memory
        Assert.Null(await db.Logins(clock).FindValidAsync(login.Login));           // another instance reads PostgreSQL
        clock.Advance(VertoLoginStore.RecentWindow + TimeSpan.FromSeconds(1));
        Assert.Null(await logins.FindValidAsync(login.Login));                     // past the window: PostgreSQL
    }

    [Fact]
    public async Task A_consumed_login_is_looked_up_in_postgresql_and_an_expired_one_is_not_answered_from_memory()
    {
        var (room, caller, callee) = await RoomAsync();
        var clock = DatabaseFixture.ClockAt(Now);
        var logins = db.Logins(clock);
        var consumed = await logins.IssueAsync(room, caller, TimeSpan.FromHours(1));
        var shortLived = await logins.IssueAsync(room, callee, TimeSpan.FromSeconds(10));

        Assert.Equal(caller, await logins.ConsumeForCallAsync(consumed.Login, room, [caller, callee], "leg-1"));
        Assert.Equal(Now.UtcDateTime, (await logins.FindValidAsync(consumed.Login))!.UsedAt);
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(await logins.FindValidAsync(shortLived.Login));
    }

    [Fact]
    public async Task Remembered_logins_are_dropped_once_past_the_window()
    {
        var (room, caller, callee) = await RoomAsync();
        var clock = DatabaseFixture.ClockAt(Now);
        var logins = db.Logins(clock);
        await logins.IssueAsync(room, caller, TimeSpan.FromHours(1));
        await logins.IssueAsync(room, callee, TimeSpan.FromHours(1));
        Assert.Equal(2, logins.RecentCount);

        clock.Advance(VertoLoginStore.RecentWindow + TimeSpan.FromSeconds(1));
        await logins.IssueAsync(room, callee, TimeSpan.FromHours(1));

        Assert.Equal(1, logins.RecentCount);
    }

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    private async Task<(string Room, string Caller, string Callee)> RoomAsync()
    {
        var (caller, callee) = (await db.NewUserAsync(), await db.NewUserAsync());
        var room = await db.Rooms.CreateAsync(new RoomRecord
        {
            Id = RoomStore.NewId(), CallerUserId = caller, CalleeUserId = callee, Media = "audio",
        });
        return (room.Id, caller, callee);
    }

    private async Task<DateTime?> UsedAtAsync(string login)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<DateTime?>("SELECT used_at FROM verto_logins WHERE login = @login", new { login });
    }
}
