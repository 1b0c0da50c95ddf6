using System.Net;
using CallControl.Calls.Dtmf;
using CallControl.Tests.Scenarios;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Dtmf;

/// <summary>POST /api/calls/{id}/dtmf against the simulator and real PostgreSQL.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class DtmfSendTests(RoomWorld world)
{
    [Fact]
    public async Task Caller_sends_to_callee_the_callee_leg_receives_exactly_those_digits()
    {
        var call = await world.AnsweredAppCallAsync("+15551120001");

        var response = await world.ClientFor(call.Caller).SendDtmfAsync(call.Room.CallId, new { digits = "12w#A", durationMs = 300, leg = "callee" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([('1', 300), ('2', 300), ('w', 300), ('#', 300), ('A', 300)], world.Digits(call.CalleeLeg));
        Assert.Empty(world.Digits(call.CallerLeg));
        var rows = await world.DtmfRowsAsync(call.Room.CallId, 4);
        Assert.All(rows, r => Assert.Equal(("sent", "callee", "•", 300), (r.Source, r.Role, r.Digit, r.DurationMs)));
        Assert.Equal(4, rows.Count);
        world.Sim.Switch.Hangup(call.CallerLeg);
    }

    [Fact]
    public async Task Callee_sends_to_caller_without_duration_gets_the_default_200_ms()
    {
        var call = await world.AnsweredAppCallAsync("+15551120002");

        var response = await world.ClientFor(call.Callee).SendDtmfAsync(call.Room.CallId, new { digits = "9*", leg = "caller" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([('9', 200), ('*', 200)], world.Digits(call.CallerLeg));
        Assert.Empty(world.Digits(call.CalleeLeg));
        world.Sim.Switch.Hangup(call.CallerLeg);
    }

    [Fact]
    public async Task Call_answered_via_pstn_sends_callee_digits_to_the_carrier_leg()
    {
        var caller = await world.AddUserAsync("alice");
        var callee = await world.AddUserAsync("bob", "+15551120003");
        world.SetCarrier("+1555112", "answer");
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        var callerLeg = await world.EnterRoomAsync(room);
        await alice.UntilStatusAsync(room.RoomId, "answered");
        var pstnLeg = world.Sim.Switch.Channel(callerLeg)!.OtherLegUuid!;

        var response = await alice.SendDtmfAsync(room.CallId, new { digits = "0123456789", durationMs = 40, leg = "callee" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("0123456789".Select(d => (d, 40)), world.Digits(pstnLeg));
        world.Sim.Switch.Hangup(callerLeg);
    }

    [Theory]
    [InlineData("12x", 200, "callee", "digits")]
    [InlineData("", 200, "callee", "digits")]
    [InlineData("1 2", 200, "callee", "digits")]
    [InlineData("1@100", 200, "callee", "digits")]
    [InlineData("a", 200, "callee", "digits")]
    [InlineData("٣", 200, "callee", "digits")]
    [InlineData("12", 39, "callee", "durationMs")]
    [InlineData("12", 2001, "callee", "durationMs")]
    [InlineData("12", 200, "pstn", "leg")]
    [InlineData("12", 200, null, "leg")]
    public async Task Invalid_request_is_400_naming_the_field_and_sends_nothing(string digits, int duration, string? leg, string field)
    {
        var call = await world.AnsweredAppCallAsync("+15551120004");

        var response = await world.ClientFor(call.Caller).SendDtmfAsync(call.Room.CallId, new { digits, durationMs = duration, leg });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, await response.ProblemFieldAsync());
        Assert.Empty(world.Digits(call.CalleeLeg));
        Assert.Empty(world.Digits(call.CallerLeg));
        Assert.Empty(await world.Services.GetRequiredService<DtmfStore>().ListForCallAsync(call.Room.CallId));
        world.Sim.Switch.Hangup(call.CallerLeg);
    }

    [Fact]
    public async Task Sixty_five_digits_are_400_and_sixty_four_are_sent()
    {
        var call = await world.AnsweredAppCallAsync("+15551120005");
        var client = world.ClientFor(call.Caller);

        var tooMany = await client.SendDtmfAsync(call.Room.CallId, new { digits = new string('5', 65), leg = "callee" });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Empty(world.Digits(call.CalleeLeg));

        var most = await client.SendDtmfAsync(call.Room.CallId, new { digits = new string('5', 64), leg = "callee" });
        Assert.Equal(HttpStatusCode.NoContent, most.StatusCode);
        Assert.Equal(64, world.Digits(call.CalleeLeg).Count);
        world.Sim.Switch.Hangup(call.CallerLeg);
    }
}
