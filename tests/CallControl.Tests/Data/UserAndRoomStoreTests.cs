using CallControl.Data;
using CallControl.Dialing;
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
    public async Task GetRoomPartiesAsync_returns_each_user_in_its_place_and_null_for_a_missing_one()
    {
        var caller = await db.NewUserAsync();
        var callee = await db.NewUserAsync("+15551230002");

        var parties = await Parties(caller, callee);
        Assert.Equal(caller, parties.Caller!.Id);
        Assert.Equal(callee, parties.Callee!.Id);
        Assert.Equal("+15551230002", parties.Callee.PhoneNumber);

        parties = await Parties(callee, caller);
        Assert.Equal((callee, caller), (parties.Caller!.Id, parties.Callee!.Id));

        parties = await Parties(caller, "nobody-" + Guid.NewGuid());
        Assert.Equal(caller, parties.Caller!.Id);
        Assert.Null(parties.Callee);

        parties = await Parties("nobody-" + Guid.NewGuid(), callee);
        Assert.Null(parties.Caller);
        Assert.Equal(callee, parties.Callee!.Id);

        parties = await Parties(caller, null);
        Assert.Equal(caller, parties.Caller!.Id);
        Assert.Null(parties.Callee);

        parties = await Parties(caller, caller);
        Assert.Equal((caller, caller), (parties.Caller!.Id, parties.Callee!.Id));
    }

    [Fact]
    public async Task GetRoomPartiesAsync_counts_the_callers_carrier_usage_only_when_the_room_may_dial_the_carrier()
    {
        var caller = await db.NewUserAsync();
        var withNumber = await db.NewUserAsync("+15551230002");
        var withoutNumber = await db.NewUserAsync(phone: null);
        var noFallback = "u-" + Guid.NewGuid().ToString("N");
        await db.Users.AddAsync(new UserRecord { Id = noFallback, DisplayName = "n", PhoneNumber = "+15551230003", PstnFallbackAllowed = false });
        var now = DateTime.UtcNow;
        await db.NewCallAsync(pstnDialedAt: now.AddMinutes(-1), callerId: caller);     // live, in the window
        await db.NewCallAsync(pstnDialedAt: now.AddDays(-3), callerId: caller);        // live, outside the window
        var expected = new PstnUsage(2, 1);

        Assert.Equal(expected, (await Parties(caller, withNumber)).CallerUsage);       // fallback possible
        Assert.Equal(expected, (await Parties(caller, null, dialsNumber: true)).CallerUsage); // a direct number
        Assert.Equal(default, (await Parties(caller, withoutNumber)).CallerUsage);      // nothing to dial: not counted
        Assert.Equal(default, (await Parties(caller, noFallback)).CallerUsage);
        Assert.Equal(expected, await db.PstnUsage.GetUsageAsync(caller, now.AddDays(-1))); // the same counts as the store's
    }

    private Task<RoomParties> Parties(string caller, string? callee, bool dialsNumber = false) =>
        db.Users.GetRoomPartiesAsync(caller, callee, dialsNumber, DateTime.UtcNow.AddDays(-1));

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
    public async Task A_room_its_first_login_and_its_call_are_stored_by_one_statement_or_not_at_all()
    {
        var caller = await db.NewUserAsync();
        var logins = db.Logins();
        var id = RoomStore.NewId();
        var login = logins.New(id, caller, TimeSpan.FromMinutes(5));
        RoomRecord Room(string roomId, string callerId) => new() { Id = roomId, CallerUserId = callerId, CalleeNumber = "+15551230002", Media = "audio" };
        CallRecord Call(string roomId, string callerId, string status = CallStatuses.Ringing) => new()
        {
            Id = Guid.NewGuid(), RoomId = roomId, Caller = callerId, CalleeNumber = "+15551230002", Media = "audio",
            Status = status, CreatedAt = DateTime.UtcNow,
        };

        var call = Call(id, caller);
        var (storedCall, room) = await db.Calls.CreateWithRoomAsync(call, "created", Room(id, caller), login);

        Assert.Equal(id, (await db.Rooms.GetAsync(id))?.Id);
        Assert.NotEqual(default, room.CreatedAt);
        Assert.Equal(1, storedCall.Version);
        var stored = await logins.FindValidAsync(login.Login);
        Assert.Equal((login.Password, id, caller), (stored?.Password, stored?.RoomId, stored?.UserId));
        var withHistory = await db.Calls.GetWithHistoryAsync(call.Id);
        Assert.Equal((id, CallStatuses.Ringing, 1), (withHistory?.Call.RoomId, withHistory?.Call.Status, withHistory?.Call.Version));
        Assert.Equal([(null, "ringing", "created")], withHistory!.History.Select(h => (h.FromStatus, h.ToStatus, h.Reason)));

        // A call PostgreSQL refuses (a status its CHECK does not know) leaves neither the room nor the login behind.
        var badId = RoomStore.NewId();
        var orphan = logins.New(badId, caller, TimeSpan.FromMinutes(5));
        var refused = Call(badId, caller, "bogus");
        await Assert.ThrowsAsync<PostgresException>(() => db.Calls.CreateWithRoomAsync(refused, "created", Room(badId, caller), orphan));
        Assert.Null(await db.Rooms.GetAsync(badId));
        Assert.Null(await logins.FindValidAsync(orphan.Login));
        Assert.Null(await db.Calls.GetAsync(refused.Id));

        // A room PostgreSQL refuses (its caller does not exist) leaves no login and no call behind.
        var nobody = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        var lonely = Call(badId, caller);
        await Assert.ThrowsAsync<PostgresException>(() => db.Calls.CreateWithRoomAsync(lonely, "created", Room(badId, nobody), orphan));
        Assert.Null(await logins.FindValidAsync(orphan.Login));
        Assert.Null(await db.Calls.GetAsync(lonely.Id));

        // A login or a call made for another room is refused before anything is written.
        var otherId = RoomStore.NewId();
        await Assert.ThrowsAsync<ArgumentException>(() => db.Calls.CreateWithRoomAsync(Call(otherId, caller), "created", Room(otherId, caller), login));
        await Assert.ThrowsAsync<ArgumentException>(() => db.Calls.CreateWithRoomAsync(Call(id, caller), "created", Room(otherId, caller), logins.New(otherId, caller, TimeSpan.FromMinutes(5))));
        Assert.Null(await db.Rooms.GetAsync(otherId));
    }
}
