using CallControl.Calls.Router;
using CallControl.Tests.Support;
using FreeSwitchSim.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Scenarios;

/// <summary>Room calls to an app user, end to end: room API, signaling, verto legs on the simulator, ESL, PostgreSQL.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class AppCallScenarioTests(RoomWorld world)
{
    [Fact]
    public async Task App_to_app_answered_then_caller_hangs_up_is_completed()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551110001"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        await using var callerSignal = await world.ConnectSignalingAsync(caller);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee, media = "video", natType = "symmetric" });
        Assert.Equal("room-" + room.RoomId, room.Verto.Destination);
        Assert.Equal("relay", room.IceTransportPolicy);

        var invite = await calleeSignal.UntilAsync("invite");
        Assert.Equal(room.RoomId, invite.GetProperty("roomId").GetString());
        var callerLeg = await world.EnterRoomAsync(room);
        var joined = await world.ClientFor(callee).JoinAsync(room.RoomId);
        Assert.NotEqual(room.Verto.Login, joined.Verto.Login);
        var calleeLeg = await world.EnterRoomAsync(joined);
        await callerSignal.UntilAsync("answered");
        var answered = await alice.UntilStatusAsync(room.RoomId, "answered");
        Assert.Equal("app", answered.Call!.AnsweredVia);
        Assert.Equal(calleeLeg, world.Sim.Switch.Channel(callerLeg)!.OtherLegUuid);

        world.Sim.Switch.Hangup(callerLeg);
        var done = await alice.UntilStatusAsync(room.RoomId, "completed");
        Assert.Equal("closed", done.State);
        var call = await world.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>answered:bridged"], call.Steps().Take(2));
        Assert.Matches("^answered>completed:(caller|network)_hung_up$", call.Steps()[2]);
        Assert.Equal(3, call.History.Count);
        var legs = await world.LegsAsync(room.CallId, 2);
        Assert.Equal(["callee", "caller"], legs.Select(l => l.Role!).Order());
        Assert.Equal(Guid.Parse(callerLeg), legs.Single(l => l.Role == "caller").LegUuid);
        Assert.All(legs, l => Assert.NotNull(l.AnswerAt));
        var cdrs = await world.CdrsFromBothPathsAsync(room.CallId, 2);
        Assert.All(cdrs, l => Assert.Equal(room.CallId, l.CallId));
    }

    [Fact]
    public async Task An_ended_call_is_forgotten_after_the_login_grace_with_its_legs_and_a_live_call_keeps_its_own()
    {
        var router = world.Services.GetRequiredService<CallRouter>();
        var grace = world.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CallControl.Rooms.RoomsOptions>>().Value.EndedCallGrace;
        var (ended, endedLegs) = await AnsweredCallAsync("+15551110021");
        var (live, liveLegs) = await AnsweredCallAsync("+15551110022");
        world.Sim.Switch.Hangup(endedLegs[0]);
        await world.ClientFor(ended.Caller).UntilStatusAsync(ended.Room.RoomId, "completed");

        // The router keeps an ended call for a grace (its legs' last events), then drops it and exactly its legs: each
        // forget removes the call's own entries, it does not scan every call's.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (endedLegs.Any(l => router.FindByLeg(l) is not null || router.MapsLeg(l)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the ended call was not forgotten after the grace");
            world.RingClock.Advance(grace + TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        Assert.All(liveLegs, l => Assert.Equal(live.Room.CallId, router.FindByLeg(l)?.CallId));
        // Still steered: its hangup ends it as usual.
        world.Sim.Switch.Hangup(liveLegs[1]);
        await world.ClientFor(live.Caller).UntilStatusAsync(live.Room.RoomId, "completed");
    }

    [Fact]
    public async Task A_leg_that_parks_after_its_ended_call_was_forgotten_is_hung_up_from_the_stored_end()
    {
        var router = world.Services.GetRequiredService<CallRouter>();
        var grace = world.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CallControl.Rooms.RoomsOptions>>().Value.EndedCallGrace;
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551110023"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        var callerLeg = await world.EnterRoomAsync(room);
        await ParkedAsync(room.RoomId);
        // The callee joins (its login is issued) but its client is slow: the caller gives up first.
        var joined = await world.ClientFor(callee).JoinAsync(room.RoomId);
        world.Sim.Switch.Hangup(callerLeg);
        await alice.UntilStatusAsync(room.RoomId, "canceled");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (router.FindByLeg(callerLeg) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the ended call was not forgotten after the grace");
            world.RingClock.Advance(grace + TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        // Its login is still valid, so its leg parks in the room; the call is no longer held, only how it ended, and
        // the leg is hung up as the canceled call's machine would have (not left parked).
        var mark = world.Events.Count;
        var late = await world.EnterRoomAsync(joined);
        deadline = DateTime.UtcNow.AddSeconds(10);
        SimEvent? hangup;
        while ((hangup = world.Events.Skip(mark).FirstOrDefault(e => e.Name == "CHANNEL_HANGUP" && e.UniqueId == late)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the late leg was left parked");
            await Task.Delay(50);
        }

        Assert.Equal("ORIGINATOR_CANCEL", hangup.Get("Hangup-Cause"));
        Assert.Equal("canceled", (await world.CallAsync(room.CallId)).Call.Status);
    }

    private async Task<((string Caller, CallControl.Rooms.RoomAccess Room), string[] Legs)> AnsweredCallAsync(string calleePhone)
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", calleePhone));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var room = await world.ClientFor(caller).CreateRoomAsync(new { callee });
        var callerLeg = await world.EnterRoomAsync(room);
        var calleeLeg = await world.EnterRoomAsync(await world.ClientFor(callee).JoinAsync(room.RoomId));
        await world.ClientFor(caller).UntilStatusAsync(room.RoomId, "answered");
        return ((caller, room), [callerLeg, calleeLeg]);
    }

    [Fact]
    public async Task Callee_offline_falls_back_to_the_phone_and_is_answered()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551110002"));
        world.SetCarrier("+1555111", "answer");
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        Assert.Equal("fallback-dialing", (await alice.RoomAsync(room.RoomId)).Call!.Status);
        var callerLeg = await world.EnterRoomAsync(room);

        var answered = await alice.UntilStatusAsync(room.RoomId, "answered");
        Assert.Equal("pstn", answered.Call!.AnsweredVia);
        Assert.Equal("offline", answered.Call.FallbackReason);
        world.Sim.Switch.Hangup(callerLeg);
        await alice.UntilStatusAsync(room.RoomId, "completed");

        var call = await world.CallAsync(room.CallId);
        Assert.Equal(
            ["->ringing:created", "ringing>fallback-dialing:callee_offline", "fallback-dialing>answered:pstn_answered"],
            call.Steps().Take(3));
        var legs = await world.LegsAsync(room.CallId, 2);
        Assert.Equal(["caller", "pstn"], legs.Select(l => l.Role!).Order());
        // FreeSWITCH names a gateway leg after its SIP profile: sofia/external/<number>.
        Assert.Equal("sofia/external/+15551110002", legs.Single(l => l.Role == "pstn").ChannelName);
        Assert.Equal(["caller", "pstn"], (await world.CdrsFromBothPathsAsync(room.CallId, 2)).Select(l => l.Role!).Order());
    }

    [Fact]
    public async Task Callee_busy_ends_busy_and_the_caller_leg_with_user_busy()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551110003"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var mark = world.Events.Count;
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        var callerLeg = await world.EnterRoomAsync(room);
        await ParkedAsync(room.RoomId);

        using var busy = await world.ClientFor(callee).PostAsync($"/api/rooms/{room.RoomId}/busy", null);
        Assert.True(busy.IsSuccessStatusCode);
        await alice.UntilStatusAsync(room.RoomId, "busy");

        var call = await world.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>busy:callee_busy"], call.Steps());
        Assert.Equal("USER_BUSY", call.Call.HangupCause);
        var legs = await world.LegsAsync(room.CallId, 1);
        Assert.Equal(("caller", "USER_BUSY"), (legs[0].Role, legs[0].HangupCause));
        Assert.Equal(Guid.Parse(callerLeg), legs[0].LegUuid);
        Assert.False(world.OriginatedSince(mark));
    }

    [Fact]
    public async Task Callee_busy_with_busy_fallback_on_falls_back_and_is_answered()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551110004"));
        world.SetCarrier("+1555111", "answer");
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee, fallback = new { onBusy = true } });
        var callerLeg = await world.EnterRoomAsync(room);
        await ParkedAsync(room.RoomId);

        using var busy = await world.ClientFor(callee).PostAsync($"/api/rooms/{room.RoomId}/busy", null);
        Assert.True(busy.IsSuccessStatusCode);
        var answered = await alice.UntilStatusAsync(room.RoomId, "answered");
        Assert.Equal(("pstn", "busy"), (answered.Call!.AnsweredVia, answered.Call.FallbackReason));
        world.Sim.Switch.Hangup(callerLeg);
        await alice.UntilStatusAsync(room.RoomId, "completed");

        var call = await world.CallAsync(room.CallId);
        Assert.Equal(
            ["->ringing:created", "ringing>fallback-dialing:callee_busy", "fallback-dialing>answered:pstn_answered"],
            call.Steps().Take(3));
        Assert.Equal(["caller", "pstn"], (await world.LegsAsync(room.CallId, 2)).Select(l => l.Role!).Order());
    }

    [Fact]
    public async Task Ring_timeout_falls_back_and_carrier_no_answer_ends_no_answer()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551110005"));
        world.SetCarrier("+1555111", "noanswer");
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        await world.EnterRoomAsync(room);
        await ParkedAsync(room.RoomId);
        Assert.Equal("ringing", (await alice.RoomAsync(room.RoomId)).Call!.Status);

        // The default 30 s ring timeout passes on the fake ring clock; the carrier then rings for 2 s (configured).
        world.RingClock.Advance(TimeSpan.FromSeconds(31));
        await calleeSignal.UntilAsync("fallback-dialing");
        await alice.UntilStatusAsync(room.RoomId, "no_answer");

        var call = await world.CallAsync(room.CallId);
        Assert.Equal(
            ["->ringing:created", "ringing>fallback-dialing:ring_timeout", "fallback-dialing>no_answer:carrier_no_answer"],
            call.Steps());
        Assert.Equal("no_answer", call.Call.FallbackReason);
        var legs = await world.LegsAsync(room.CallId, 2);
        Assert.Equal("NO_ANSWER", legs.Single(l => l.Role == "pstn").HangupCause);
    }

    [Fact]
    public async Task Caller_cancels_while_the_callee_rings_is_canceled()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551110006"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        await world.EnterRoomAsync(room);
        await ParkedAsync(room.RoomId);

        using var cancel = await alice.DeleteAsync($"/api/rooms/{room.RoomId}");
        Assert.True(cancel.IsSuccessStatusCode);
        await calleeSignal.UntilAsync("canceled");
        await alice.UntilStatusAsync(room.RoomId, "canceled");

        var call = await world.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>canceled:caller_canceled"], call.Steps());
        Assert.Equal("caller", call.Call.HungUpBy);
        var legs = await world.LegsAsync(room.CallId, 1);
        Assert.Equal(("caller", "ORIGINATOR_CANCEL"), (legs[0].Role, legs[0].HangupCause));
    }

    [Fact]
    public async Task Callee_refuses_with_fallback_disabled_is_refused_and_nothing_is_dialed()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551110007"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var mark = world.Events.Count;
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        await world.EnterRoomAsync(room);
        await ParkedAsync(room.RoomId);

        using var refuse = await world.ClientFor(callee).PostAsync($"/api/rooms/{room.RoomId}/refuse", null);
        Assert.True(refuse.IsSuccessStatusCode);
        await alice.UntilStatusAsync(room.RoomId, "refused");

        var call = await world.CallAsync(room.CallId);
        Assert.Equal(["->ringing:created", "ringing>refused:callee_refused"], call.Steps());
        var legs = await world.LegsAsync(room.CallId, 1);
        Assert.Equal(("caller", "CALL_REJECTED"), (legs[0].Role, legs[0].HangupCause));
        Assert.False(world.OriginatedSince(mark));
    }

    /// <summary>Waits until the router has the caller's leg parked in the room.</summary>
    private Task ParkedAsync(string roomId) =>
        ServiceHostWait.UntilAsync(
            () => world.Services.GetRequiredService<CallRouter>().FindByRoom(roomId)?.State.CallerLegUuid is not null,
            "the caller's leg to park", RoomSteps.Wait);
}
