using CallControl.Data;
using CallControl.Tests.Support;
using Npgsql;

namespace CallControl.Tests.Data;

[Collection(DatabaseGroup.Name)]
public sealed class UserAndRoomStoreTests(DatabaseFixture db)
{
    [Fact]
    public async Task AddAsync_then_GetAsync_returns_the_user_as_written()
    {
        var id = "alice-" + Guid.NewGuid().ToString("N")[..8];
        var added = await db.Users.AddAsync(new UserRecord
        {
            Id = id, DisplayName = "Alice Ä", PhoneNumber = "+15551230001", PstnFallbackAllowed = false,
        });

        var read = await db.Users.GetAsync(id);

        Assert.NotNull(added);
        Assert.NotNull(read);
        Assert.Equal("Alice Ä", read.DisplayName);
        Assert.Equal("+15551230001", read.PhoneNumber);
        Assert.False(read.PstnFallbackAllowed);
        Assert.Equal(added.CreatedAt, read.CreatedAt);
    }

    [Fact]
    public async Task AddAsync_with_a_taken_id_returns_null_and_keeps_the_first()
    {
        var id = await db.NewUserAsync();

        var second = await db.Users.AddAsync(new UserRecord { Id = id, DisplayName = "Impostor" });

        Assert.Null(second);
        Assert.StartsWith("Test ", (await db.Users.GetAsync(id))!.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_of_an_unknown_id_returns_null()
    {
        Assert.Null(await db.Users.GetAsync("nobody-" + Guid.NewGuid()));
    }

    [Fact]
    public async Task GetPairAsync_returns_each_user_in_its_place_and_null_for_a_missing_one()
    {
        var caller = await db.NewUserAsync();
        var callee = await db.NewUserAsync("+15551230002");

        var (first, second) = await db.Users.GetPairAsync(caller, callee);
        Assert.Equal(caller, first!.Id);
        Assert.Equal(callee, second!.Id);
        Assert.Equal("+15551230002", second.PhoneNumber);

        (first, second) = await db.Users.GetPairAsync(callee, caller);
        Assert.Equal((callee, caller), (first!.Id, second!.Id));

        (first, second) = await db.Users.GetPairAsync(caller, "nobody-" + Guid.NewGuid());
        Assert.Equal(caller, first!.Id);
        Assert.Null(second);

        (first, second) = await db.Users.GetPairAsync("nobody-" + Guid.NewGuid(), callee);
        Assert.Null(first);
        Assert.Equal(callee, second!.Id);

        (first, second) = await db.Users.GetPairAsync(caller, null);
        Assert.Equal(caller, first!.Id);
        Assert.Null(second);

        (first, second) = await db.Users.GetPairAsync(caller, caller);
        Assert.Equal((caller, caller), (first!.Id, second!.Id));
    }

    [Theory]
    [InlineData("15551230001")]
    [InlineData("+0551230001")]
    [InlineData("+1 555 123")]
    public async Task Schema_refuses_a_phone_number_that_is_not_E164(string phone)
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Users.AddAsync(new UserRecord { Id = "bad-" + Guid.NewGuid(), DisplayName = "x", PhoneNumber = phone }));

        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
    }

    [Fact]
    public async Task RoomStore_CreateAsync_then_GetAsync_round_trips_the_room_and_its_override_json()
    {
        var caller = await db.NewUserAsync();
        var callee = await db.NewUserAsync();
        var room = await db.Rooms.CreateAsync(new RoomRecord
        {
            Id = RoomStore.NewId(), CallerUserId = caller, CalleeUserId = callee, Media = "video", Record = true,
            FallbackPolicyOverride = """{"busy": true}""", FreeswitchNode = "sim1",
        });

        var read = await db.Rooms.GetAsync(room.Id);

        Assert.NotNull(read);
        Assert.Equal(callee, read.CalleeUserId);
        Assert.Equal("video", read.Media);
        Assert.True(read.Record);
        Assert.Equal("""{"busy": true}""", read.FallbackPolicyOverride);
        Assert.Equal("open", read.State);
        Assert.Matches("^[0-9a-f]{16}$", read.Id);
        Assert.True(await db.Rooms.SetStateAsync(room.Id, "closed"));
        Assert.Equal("closed", (await db.Rooms.GetAsync(room.Id))!.State);
    }

    [Fact]
    public async Task A_room_and_its_first_login_are_stored_by_one_statement_or_not_at_all()
    {
        var caller = await db.NewUserAsync();
        var logins = db.Logins();
        var id = RoomStore.NewId();
        var login = logins.New(id, caller, TimeSpan.FromMinutes(5));

        var room = await db.Rooms.CreateAsync(new RoomRecord { Id = id, CallerUserId = caller, CalleeNumber = "+15551230002", Media = "audio" }, login);

        Assert.Equal(id, (await db.Rooms.GetAsync(id))?.Id);
        Assert.NotEqual(default, room.CreatedAt);
        var stored = await logins.FindValidAsync(login.Login);
        Assert.Equal((login.Password, id, caller), (stored?.Password, stored?.RoomId, stored?.UserId));

        // A room PostgreSQL refuses (its caller does not exist) leaves no login behind.
        var badId = RoomStore.NewId();
        var orphan = logins.New(badId, caller, TimeSpan.FromMinutes(5));
        await Assert.ThrowsAsync<PostgresException>(() => db.Rooms.CreateAsync(
            new RoomRecord { Id = badId, CallerUserId = "nobody-" + Guid.NewGuid().ToString("N")[..8], CalleeNumber = "+15551230002", Media = "audio" }, orphan));
        Assert.Null(await logins.FindValidAsync(orphan.Login));

        // A login made for another room is refused before anything is written.
        await Assert.ThrowsAsync<ArgumentException>(() => db.Rooms.CreateAsync(
            new RoomRecord { Id = RoomStore.NewId(), CallerUserId = caller, CalleeNumber = "+15551230002", Media = "audio" }, login));
    }
}
