using System.Net;
using CallControl.Calls.Router;
using CallControl.Tests.Scenarios;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Dtmf;

/// <summary>Who may send DTMF, and when.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class DtmfAccessTests(RoomWorld world)
{
    [Fact]
    public async Task Stranger_gets_403_and_nothing_is_sent()
    {
        var call = await world.AnsweredAppCallAsync("+15551130001");
        var stranger = await world.AddUserAsync("mallory");

        var response = await world.ClientFor(stranger).SendDtmfAsync(call.Room.CallId, new { digits = "1", leg = "callee" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(world.Digits(call.CalleeLeg));
        world.Sim.Switch.Hangup(call.CallerLeg);
    }

    [Fact]
    public async Task Unknown_call_is_404()
    {
        var caller = await world.AddUserAsync("alice");

        var response = await world.ClientFor(caller).SendDtmfAsync(Guid.NewGuid(), new { digits = "1", leg = "callee" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Ringing_call_is_409_and_nothing_is_sent()
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", "+15551130002"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        await calleeSignal.UntilAsync("invite");
        var callerLeg = await world.EnterRoomAsync(room);
        var router = world.Services.GetRequiredService<CallRouter>();
        await ServiceHostWait.UntilAsync(() => router.FindByLeg(callerLeg) is not null, "the caller's leg adopted", RoomSteps.Wait);
        Assert.Equal("ringing", (await alice.RoomAsync(room.RoomId)).Call!.Status);

        var response = await alice.SendDtmfAsync(room.CallId, new { digits = "1", leg = "caller" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty(world.Digits(callerLeg));
        await alice.DeleteAsync(new Uri($"/api/rooms/{room.RoomId}", UriKind.Relative));
    }

    [Fact]
    public async Task Ended_call_is_409()
    {
        var call = await world.AnsweredAppCallAsync("+15551130003");
        world.Sim.Switch.Hangup(call.CallerLeg);
        await world.ClientFor(call.Caller).UntilStatusAsync(call.Room.RoomId, "completed");

        var response = await world.ClientFor(call.Caller).SendDtmfAsync(call.Room.CallId, new { digits = "1", leg = "callee" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }
}
