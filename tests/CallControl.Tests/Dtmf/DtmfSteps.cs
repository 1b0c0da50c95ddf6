using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Calls.Dtmf;
using CallControl.Rooms;
using CallControl.Tests.Scenarios;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Dtmf;

/// <summary>An answered call and its legs, as the DTMF tests start from.</summary>
internal sealed record AnsweredCall(RoomAccess Room, string Caller, string Callee, string CallerLeg, string CalleeLeg);

internal static class DtmfSteps
{
    /// <summary>Alice calls Bob in the app; both legs park; the call is answered (bridged).</summary>
    public static async Task<AnsweredCall> AnsweredAppCallAsync(this RoomWorld world, string phone)
    {
        var (caller, callee) = (await world.AddUserAsync("alice"), await world.AddUserAsync("bob", phone));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee });
        await calleeSignal.UntilAsync("invite");
        var callerLeg = await world.EnterRoomAsync(room);
        var calleeLeg = await world.EnterRoomAsync(await world.ClientFor(callee).JoinAsync(room.RoomId));
        await alice.UntilStatusAsync(room.RoomId, "answered");
        return new AnsweredCall(room, caller, callee, callerLeg, calleeLeg);
    }

    public static Task<HttpResponseMessage> SendDtmfAsync(this HttpClient client, Guid callId, object body) =>
        client.PostAsJsonAsync($"/api/calls/{callId}/dtmf", body, RoomSteps.Json);

    /// <summary>The Problem Details' <c>field</c> extension.</summary>
    public static async Task<string?> ProblemFieldAsync(this HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("field", out var field) ? field.GetString() : null;
    }

    public static IReadOnlyList<(char Digit, int DurationMs)> Digits(this RoomWorld world, string leg) =>
        [.. world.Sim.Switch.Channel(leg)!.DigitsReceived.Select(d => (d.Digit, d.DurationMs))];

    public static Task<IReadOnlyList<DtmfRecord>> DtmfRowsAsync(this RoomWorld world, Guid callId, int count) =>
        ServiceHostWait.UntilAsync(
            () => world.Services.GetRequiredService<DtmfStore>().ListForCallAsync(callId),
            rows => rows.Count >= count, $"{count} DTMF rows of call {callId}", RoomSteps.Wait);
}
