using System.Text;
using CallControl.Calls.Dtmf;
using CallControl.Calls.Router;
using CallControl.Esl.Events;
using CallControl.Switch;
using CallControl.Tests.Scenarios;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.Tests.Dtmf;

/// <summary>With <c>Dtmf:MaskDigits</c> off, the history keeps the digits themselves (the service's own instances
/// run with the default, masked; these build unmasked ones over the same router, node pool and database).</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class DtmfMaskingTests(RoomWorld world)
{
    private static readonly IOptions<DtmfOptions> Unmasked = Options.Create(new DtmfOptions { MaskDigits = false });

    [Fact]
    public async Task Unmasked_sender_records_the_digits_sent_without_pauses()
    {
        var call = await world.AnsweredAppCallAsync("+15551150001");
        var sender = new DtmfSender(
            world.Services.GetRequiredService<CallRouter>(), world.Services.GetRequiredService<NodePool>(),
            world.Services.GetRequiredService<DtmfStore>(), Unmasked, TimeProvider.System, NullLogger<DtmfSender>.Instance);

        var outcome = await sender.SendAsync(call.Room.CallId, new DtmfSend("3w#", 120, DtmfTarget.Caller), CancellationToken.None);

        Assert.Equal(DtmfOutcome.Sent, outcome);
        Assert.Equal([('3', 120), ('w', 120), ('#', 120)], world.Digits(call.CallerLeg));
        var rows = await world.DtmfRowsAsync(call.Room.CallId, 2);
        Assert.Equal(["3", "#"], rows.Select(r => r.Digit));
        Assert.All(rows, r => Assert.Equal(("sent", "caller", 120), (r.Source, r.Role, r.DurationMs)));
        world.Sim.Switch.Hangup(call.CallerLeg);
    }

    [Fact]
    public async Task Unmasked_recorder_records_the_pressed_digit_and_converts_samples_to_ms()
    {
        var call = await world.AnsweredAppCallAsync("+15551150002");
        var recorder = new DtmfPressRecorder(
            world.Services.GetRequiredService<CallRouter>(), world.Services.GetRequiredService<DtmfStore>(), Unmasked,
            TimeProvider.System, NullLogger<DtmfPressRecorder>.Instance);
        var dtmf = EslEvent.ParseJson(Encoding.UTF8.GetBytes(
            $$"""{"Event-Name":"DTMF","Unique-ID":"{{call.CalleeLeg}}","DTMF-Digit":"D","DTMF-Duration":"800","DTMF-Source":"RTP"}"""));
        var stranger = EslEvent.ParseJson(Encoding.UTF8.GetBytes(
            $$"""{"Event-Name":"DTMF","Unique-ID":"{{Guid.NewGuid()}}","DTMF-Digit":"1","DTMF-Duration":"800"}"""));

        await recorder.HandleAsync("fs1", stranger, CancellationToken.None);
        await recorder.HandleAsync("fs1", dtmf, CancellationToken.None);

        var row = Assert.Single(await world.DtmfRowsAsync(call.Room.CallId, 1));
        Assert.Equal(("D", 100, "callee", "pressed"), (row.Digit, row.DurationMs, row.Role, row.Source));
        Assert.Equal(Guid.Parse(call.CalleeLeg), row.LegUuid);
        world.Sim.Switch.Hangup(call.CallerLeg);
    }
}
