using CallControl.Tests.Support;

namespace CallControl.Tests.Scenarios;

/// <summary>Legs that park where they do not belong: after the call ended, or with another room's login.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class StrayLegScenarioTests(RoomWorld world)
{
    [Fact]
    public async Task Callee_offline_without_a_number_ends_offline_and_the_late_caller_leg_is_hung_up()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob"));
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        var view = await alice.RoomAsync(room.RoomId);
        Assert.Equal(("offline", "closed"), (view.Call!.Status, view.State));

        // The caller's client did not hear yet and calls the room anyway: its leg must not stay parked.
        var leg = await world.EnterRoomAsync(room);
        await ServiceHostWait.UntilAsync(() => world.Sim.Switch.Channel(leg) is null, "the late caller leg to be hung up", RoomSteps.Wait);
        var call = await world.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>offline:callee_offline"], call.Steps());
        Assert.Equal("SUBSCRIBER_ABSENT", call.Call.HangupCause);
    }

    [Fact]
    public async Task Leg_with_another_rooms_login_is_rejected_and_the_call_keeps_ringing()
    {
        var (caller, callee, other) =
            (await world.AddUserAsync("alice"), await world.AddUserAsync("bob"), await world.AddUserAsync("mallory"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        await using var otherSignal = await world.ConnectSignalingAsync(caller);
        var room = await world.ClientFor(caller).CreateRoomAsync(new { callee });
        var othersRoom = await world.ClientFor(other).CreateRoomAsync(new { callee = caller });

        // Mallory logs in with her own room's login but dials Alice's room.
        var stray = await world.EnterRoomAsync(othersRoom with { Verto = othersRoom.Verto with { Destination = room.Verto.Destination } });
        await ServiceHostWait.UntilAsync(() => world.Sim.Switch.Channel(stray) is null, "the stray leg to be hung up", RoomSteps.Wait);
        var hangup = world.Events.Last(e => e.UniqueId == stray && e.Name == "CHANNEL_HANGUP_COMPLETE");
        Assert.Equal("CALL_REJECTED", hangup.Get("Hangup-Cause"));
        Assert.Equal("ringing", (await world.ClientFor(caller).RoomAsync(room.RoomId)).Call!.Status);

        using var end = await world.ClientFor(caller).DeleteAsync($"/api/rooms/{room.RoomId}");
        using var endOther = await world.ClientFor(other).DeleteAsync($"/api/rooms/{othersRoom.RoomId}");
        Assert.True(end.IsSuccessStatusCode && endOther.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Leg_naming_another_login_in_its_user_variables_is_rejected_and_that_login_stays_unused()
    {
        var (caller, callee, other) =
            (await world.AddUserAsync("alice"), await world.AddUserAsync("bob"), await world.AddUserAsync("mallory"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        await using var callerSignal = await world.ConnectSignalingAsync(caller);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        var othersRoom = await world.ClientFor(other).CreateRoomAsync(new { callee = caller });

        // Mallory logs in with her own room's login, but her browser's verto.login userVariables name Alice's login:
        // mod_verto copies them onto her leg over user_name and verto_user. Her leg dials Alice's room.
        var forged = new Dictionary<string, string>
        {
            ["user_name"] = room.Verto.Login,
            ["verto_user"] = $"{room.Verto.Login}@127.0.0.1",
        };
        Assert.True(await world.Sim.Switch.LoginAsync(othersRoom.Verto.Login, othersRoom.Verto.Password, forged, CancellationToken.None));
        var stray = world.Sim.Switch.PlaceCall(othersRoom.Verto.Login, room.Verto.Destination);
        await ServiceHostWait.UntilAsync(() => world.Sim.Switch.Channel(stray) is null, "the forged leg to be hung up", RoomSteps.Wait);
        var park = world.Events.First(e => e.UniqueId == stray && e.Name == "CHANNEL_PARK");
        Assert.Equal(room.Verto.Login, park.Get("variable_user_name"));
        Assert.Equal("CALL_REJECTED", world.Events.Last(e => e.UniqueId == stray && e.Name == "CHANNEL_HANGUP_COMPLETE").Get("Hangup-Cause"));
        Assert.DoesNotContain(world.Events, e => e.Name == "API" && e.Get("API-Command-Argument")?.StartsWith(stray, StringComparison.Ordinal) == true
                                                 && e.Get("API-Command") != "uuid_kill");

        // Alice's login was not consumed: her own leg parks, is adopted as the caller, and the call goes on to answer.
        var callerLeg = await world.EnterRoomAsync(room);
        await WaitUntilAdoptedAsync(callerLeg, room.CallId, "caller");
        var calleeLeg = await world.EnterRoomAsync(await world.ClientFor(callee).JoinAsync(room.RoomId));
        var answered = await alice.UntilStatusAsync(room.RoomId, "answered");
        Assert.Equal("app", answered.Call!.AnsweredVia);
        Assert.Equal(calleeLeg, world.Sim.Switch.Channel(callerLeg)!.OtherLegUuid);

        using var end = await alice.DeleteAsync($"/api/rooms/{room.RoomId}");
        using var endOther = await world.ClientFor(other).DeleteAsync($"/api/rooms/{othersRoom.RoomId}");
        Assert.True(end.IsSuccessStatusCode && endOther.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Second_leg_with_an_already_used_room_login_is_rejected()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        var first = await world.EnterRoomAsync(room);
        // Wait until the service adopted the first leg (it tags it with the call id), not just until the leg parked:
        // the two parks are different channels, handled in parallel, and the login goes to whichever is handled first.
        await WaitUntilAdoptedAsync(first, room.CallId, "caller");

        // The same one-time login places a second leg into the room: it is hung up, the first call goes on.
        var replay = await world.EnterRoomAsync(room);
        await ServiceHostWait.UntilAsync(() => world.Sim.Switch.Channel(replay) is null, "the replayed leg to be hung up", RoomSteps.Wait);
        var hangup = world.Events.Last(e => e.UniqueId == replay && e.Name == "CHANNEL_HANGUP_COMPLETE");
        Assert.Equal("CALL_REJECTED", hangup.Get("Hangup-Cause"));
        Assert.NotNull(world.Sim.Switch.Channel(first));
        Assert.Equal("ringing", (await alice.RoomAsync(room.RoomId)).Call!.Status);

        using var end = await alice.DeleteAsync($"/api/rooms/{room.RoomId}");
        Assert.True(end.IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_leg_adopted_on_its_login_is_recorded_on_the_login_in_postgresql()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });

        var leg = await world.EnterRoomAsync(room);

        // The call checked the login it issued itself and adopted the leg; the claim is stored right after.
        await WaitUntilAdoptedAsync(leg, room.CallId, "caller");
        await ServiceHostWait.UntilAsync(() => UsedByAsync(room.Verto.Login), used => used == leg, "the login to be marked used by the leg", RoomSteps.Wait);
        using var end = await alice.DeleteAsync($"/api/rooms/{room.RoomId}");
        Assert.True(end.IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_leg_whose_login_postgresql_holds_used_by_another_leg_is_hung_up()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        // Another instance consumed the login for a leg of its own: what only a takeover this instance has not noticed
        // yet allows. The call's own check passes; storing the claim is refused.
        await using (var consume = world.Database.CreateCommand(
            "UPDATE verto_logins SET used_at = now(), used_by_leg = 'elsewhere' WHERE login = $1"))
        {
            consume.Parameters.AddWithValue(room.Verto.Login);
            Assert.Equal(1, await consume.ExecuteNonQueryAsync());
        }

        var leg = await world.EnterRoomAsync(room);

        await ServiceHostWait.UntilAsync(() => world.Sim.Switch.Channel(leg) is null, "the leg to be hung up", RoomSteps.Wait);
        Assert.Equal("CALL_REJECTED", world.Events.Last(e => e.UniqueId == leg && e.Name == "CHANNEL_HANGUP_COMPLETE").Get("Hangup-Cause"));
        Assert.Equal("elsewhere", await UsedByAsync(room.Verto.Login));
        using var end = await alice.DeleteAsync($"/api/rooms/{room.RoomId}");
    }

    private async Task<string?> UsedByAsync(string login)
    {
        await using var command = world.Database.CreateCommand("SELECT used_by_leg FROM verto_logins WHERE login = $1");
        command.Parameters.AddWithValue(login);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Waits until the service adopted the leg: it tags it with the call id, room and role in one
    /// uuid_setvar_multi.</summary>
    private Task WaitUntilAdoptedAsync(string leg, Guid callId, string role) =>
        ServiceHostWait.UntilAsync(
            () => world.Events.Any(e => e.Name == "API" && e.Get("API-Command") == "uuid_setvar_multi"
                                        && e.Get("API-Command-Argument") is { } args
                                        && args.StartsWith($"{leg} x_call_id={callId:D};", StringComparison.Ordinal)
                                        && args.EndsWith($";x_leg_role={role}", StringComparison.Ordinal)),
            $"the service to adopt leg {leg} as the {role}", RoomSteps.Wait);
}
