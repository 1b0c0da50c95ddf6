using CallControl.Data;
using CallControl.Tests.Support;
using Dapper;

namespace CallControl.Tests.Data;

/// <summary>Consuming a one-time room login for a parked leg: one statement that checks and marks it.</summary>
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

        Assert.Equal(callee, await logins.ConsumeForCallAsync(login.Login, room, [caller, callee]));
        Assert.Null(await logins.ConsumeForCallAsync(login.Login, room, [caller, callee]));
        Assert.Equal(Now.UtcDateTime, await UsedAtAsync(login.Login));
    }

    [Fact]
    public async Task A_login_of_another_room_or_of_nobody_in_the_call_is_refused_and_left_unused()
    {
        var (room, caller, callee) = await RoomAsync();
        var (otherRoom, _, _) = await RoomAsync();
        var logins = db.Logins(DatabaseFixture.ClockAt(Now));
        var login = await logins.IssueAsync(room, caller, TimeSpan.FromHours(1));

        Assert.Null(await logins.ConsumeForCallAsync(login.Login, otherRoom, [caller, callee]));
        Assert.Null(await logins.ConsumeForCallAsync(login.Login, room, [callee]));
        Assert.Null(await logins.ConsumeForCallAsync("v-no-such-login", room, [caller, callee]));
        Assert.Null(await UsedAtAsync(login.Login));
        Assert.Equal(caller, await logins.ConsumeForCallAsync(login.Login, room, [caller, callee]));
    }

    [Fact]
    public async Task An_expired_login_is_refused_and_left_unused()
    {
        var (room, caller, callee) = await RoomAsync();
        var login = await db.Logins(DatabaseFixture.ClockAt(Now)).IssueAsync(room, caller, TimeSpan.FromMinutes(5));

        var later = db.Logins(DatabaseFixture.ClockAt(Now.AddMinutes(5)));
        Assert.Null(await later.ConsumeForCallAsync(login.Login, room, [caller, callee]));
        Assert.Null(await UsedAtAsync(login.Login));
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
