using System.Text.Json;
using CallControl.Data;
using CallControl.Tests.Support;
using CallControl.Webhooks;
using Dapper;

namespace CallControl.Tests.Webhooks;

/// <summary>Recording, claiming, attempting and settling events on the real database, against a real receiver on loopback.</summary>
[Collection(DatabaseGroup.Name)]
public sealed class WebhookDeliveryTests(DatabaseFixture db)
{
    [Fact]
    public async Task A_2xx_delivers_the_signed_event_once_with_one_attempt_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync(DeliveryRig.Secret);
        var rig = new DeliveryRig(db, receiver.Url);
        var call = await rig.NewCallAsync();

        var outcomes = await rig.DrainAsync();

        Assert.Equal([WebhookRunOutcome.Delivered], outcomes.Select(o => o.Outcome));
        var request = Assert.Single(receiver.Requests);
        Assert.True(request.SignatureValid);
        Assert.Equal("call.ringing", request.Type);
        var events = await rig.EventsAsync(call.Id);
        var row = Assert.Single(events);
        Assert.Equal((WebhookStates.Delivered, 1, receiver.Url.AbsoluteUri), (row.State, row.Attempts, row.Url));
        Assert.Equal(row.Body, request.Body);
        var attempt = Assert.Single(await rig.AttemptsAsync(row.Id));
        Assert.Equal((1, 204, null, "delivered"), (attempt.Attempt, attempt.HttpStatus, attempt.Error, attempt.Outcome));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(row.Id.ToString("D"), json.RootElement.GetProperty("id").GetString());
        Assert.Equal(call.RoomId, json.RootElement.GetProperty("roomId").GetString());
        Assert.Equal("ringing", json.RootElement.GetProperty("data").GetProperty("status").GetString());

        // A second job for the same event (a duplicate enqueue, a Hangfire retry) sends nothing.
        Assert.Equal(WebhookRunOutcome.NothingToDo, await rig.Delivery.RunAsync(row.Id, CancellationToken.None));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_500_and_a_timeout_are_retried_with_backoff_then_delivered_and_each_attempt_is_kept()
    {
        await using var receiver = await WebhookReceiver.StartAsync(DeliveryRig.Secret, ReceiverReply.ServerError, ReceiverReply.SlowOk);
        var rig = new DeliveryRig(db, receiver.Url);
        var call = await rig.NewCallAsync();

        var outcomes = await rig.DrainAsync();

        Assert.Equal([WebhookRunOutcome.Retrying, WebhookRunOutcome.Retrying, WebhookRunOutcome.Delivered], outcomes.Select(o => o.Outcome));
        var row = Assert.Single(await rig.EventsAsync(call.Id));
        Assert.Equal((WebhookStates.Delivered, 3), (row.State, row.Attempts));
        var attempts = await rig.AttemptsAsync(row.Id);
        Assert.Equal([(1, (int?)500, "retry"), (2, null, "retry"), (3, 204, "delivered")], attempts.Select(a => (a.Attempt, a.HttpStatus, a.Outcome)));
        Assert.Equal("HTTP 500", attempts[0].Error);
        Assert.StartsWith("timeout after 1000 ms", attempts[1].Error, StringComparison.Ordinal);
        Assert.True(attempts[1].DurationMs >= 900, $"the timed-out attempt took {attempts[1].DurationMs} ms");
        // The slow answer was processed by the application; the retry is the same event id, which it drops.
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Single(receiver.Requests.Select(r => r.EventId).Distinct());
        Assert.Single(receiver.ProcessedFor(call.Id));
    }

    [Fact]
    public async Task After_the_last_attempt_the_event_fails_and_the_next_event_of_the_call_goes_out()
    {
        await using var receiver = await WebhookReceiver.StartAsync(
            DeliveryRig.Secret, ReceiverReply.ServerError, ReceiverReply.ServerError, ReceiverReply.ServerError);
        var rig = new DeliveryRig(db, receiver.Url);
        var call = await rig.NewCallAsync();
        await rig.MoveAsync(call, new CallChange { ToStatus = CallStatuses.Answered, Reason = "bridged", At = DateTime.UtcNow, AnsweredVia = "app" });

        await rig.DrainAsync();

        var events = await rig.EventsAsync(call.Id);
        Assert.Equal([("call.ringing", "failed", 3), ("call.answered", "delivered", 1)], events.Select(e => (e.Type, e.State, e.Attempts)));
        Assert.Equal(["retry", "retry", "failed"], (await rig.AttemptsAsync(events[0].Id)).Select(a => a.Outcome));
        Assert.Equal(["call.ringing", "call.ringing", "call.ringing", "call.answered"], receiver.Requests.Select(r => r.Type));
    }

    [Fact]
    public async Task A_later_event_of_a_call_is_not_attempted_while_an_earlier_one_is_pending()
    {
        await using var receiver = await WebhookReceiver.StartAsync(DeliveryRig.Secret, ReceiverReply.ServerError);
        var rig = new DeliveryRig(db, receiver.Url, o => o.FirstRetryDelay = o.MaxRetryDelay = TimeSpan.FromSeconds(1));
        var call = await rig.NewCallAsync();
        call = await rig.MoveAsync(call, new CallChange { ToStatus = CallStatuses.Answered, Reason = "bridged", At = DateTime.UtcNow });
        await rig.MoveAsync(call, new CallChange { ToStatus = CallStatuses.Completed, Reason = "caller_hung_up", At = DateTime.UtcNow, HangupCause = "NORMAL_CLEARING" });
        var events = await rig.EventsAsync(call.Id);
        Assert.Equal(["call.ringing", "call.answered", "call.completed"], events.Select(e => e.Type));

        // Ringing fails once; while it waits for its retry, the later events' jobs run and wait, sending nothing.
        Assert.Equal(WebhookRunOutcome.Retrying, await rig.Delivery.RunAsync(events[0].Id, CancellationToken.None));
        Assert.Equal(WebhookRunOutcome.WaitingForEarlierEvent, await rig.Delivery.RunAsync(events[2].Id, CancellationToken.None));
        Assert.Equal(WebhookRunOutcome.WaitingForEarlierEvent, await rig.Delivery.RunAsync(events[1].Id, CancellationToken.None));
        Assert.Equal(["call.ringing"], receiver.Requests.Select(r => r.Type));

        await rig.DrainAsync();

        Assert.Equal(["call.ringing", "call.answered", "call.completed"], receiver.ProcessedFor(call.Id).Select(e => e.GetProperty("type").GetString()));
        Assert.All(await rig.EventsAsync(call.Id), e => Assert.Equal(WebhookStates.Delivered, e.State));
    }

    [Fact]
    public async Task A_room_url_overrides_the_deployment_url_and_without_either_nothing_is_recorded()
    {
        await using var deployment = await WebhookReceiver.StartAsync(DeliveryRig.Secret);
        await using var roomReceiver = await WebhookReceiver.StartAsync(DeliveryRig.Secret);
        var rig = new DeliveryRig(db, deployment.Url);
        var roomCall = await rig.NewCallAsync(roomReceiver.Url);
        var plainCall = await rig.NewCallAsync();

        await rig.DrainAsync();

        Assert.Single(roomReceiver.ProcessedFor(roomCall.Id));
        Assert.Empty(deployment.ProcessedFor(roomCall.Id));
        Assert.Single(deployment.ProcessedFor(plainCall.Id));

        var silent = new DeliveryRig(db, defaultUrl: null);
        var unheard = await silent.NewCallAsync();
        Assert.Empty(await silent.EventsAsync(unheard.Id));
        Assert.Equal(0, silent.Jobs.Count);
    }

    [Fact]
    public async Task The_completed_event_carries_the_final_status_and_hangup_cause()
    {
        await using var receiver = await WebhookReceiver.StartAsync(DeliveryRig.Secret);
        var rig = new DeliveryRig(db, receiver.Url);
        var call = await rig.NewCallAsync();
        var ended = DateTime.UtcNow;
        await rig.MoveAsync(call, new CallChange
        {
            ToStatus = CallStatuses.Busy, Reason = "callee_busy", At = ended, EndedAt = ended, HangupCause = "USER_BUSY",
            SipCode = 486, HungUpBy = "callee", Duration = 4, Billsec = 0,
        });

        await rig.DrainAsync();

        var completed = Assert.Single(receiver.ProcessedFor(call.Id), e => e.GetProperty("type").GetString() == "call.completed");
        var data = completed.GetProperty("data");
        Assert.Equal(("busy", "ringing", "USER_BUSY", 486), (data.GetProperty("status").GetString(), data.GetProperty("previousStatus").GetString(),
            data.GetProperty("hangupCause").GetString(), data.GetProperty("sipCode").GetInt32()));
        Assert.Equal(JsonValueKind.Null, data.GetProperty("answeredVia").ValueKind);
    }

    [Fact]
    public async Task Recording_outcomes_are_events_of_their_call_with_location_or_reason()
    {
        await using var receiver = await WebhookReceiver.StartAsync(DeliveryRig.Secret);
        var rig = new DeliveryRig(db, receiver.Url);
        var call = await rig.NewCallAsync();
        var (archived, failed) = (Guid.NewGuid(), Guid.NewGuid());
        await rig.Recordings.ArchivedAsync(archived, call.Id, "file:///archive/r1.opus", CancellationToken.None);
        await rig.Recordings.FailedAsync(failed, call.Id, "not a WAV file", CancellationToken.None);
        await rig.Recordings.ArchivedAsync(Guid.NewGuid(), Guid.NewGuid(), "file:///nowhere", CancellationToken.None);

        await rig.DrainAsync();

        var events = receiver.ProcessedFor(call.Id);
        Assert.Equal(["call.ringing", "recording.archived", "recording.failed"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("file:///archive/r1.opus", events[1].GetProperty("data").GetProperty("location").GetString());
        Assert.Equal(archived, events[1].GetProperty("data").GetProperty("recordingId").GetGuid());
        Assert.Equal("not a WAV file", events[2].GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_retry_is_dispatched_once_its_backoff_ran_out_and_not_before()
    {
        await using var receiver = await WebhookReceiver.StartAsync(DeliveryRig.Secret, ReceiverReply.ServerError);
        var rig = new DeliveryRig(db, receiver.Url, o => o.FirstRetryDelay = o.MaxRetryDelay = TimeSpan.FromSeconds(2));
        var call = await rig.NewCallAsync();
        Assert.True(rig.Jobs.TryTake(out var eventId));
        Assert.Equal(WebhookRunOutcome.Retrying, await rig.Delivery.RunAsync(eventId, CancellationToken.None));

        Assert.Equal(0, await rig.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal(WebhookRunOutcome.NothingToDo, await rig.Delivery.RunAsync(eventId, CancellationToken.None));
        Assert.Single(receiver.Requests);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await rig.Dispatcher.DispatchOnceAsync(CancellationToken.None) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the retry was never dispatched");
            await Task.Delay(100);
        }

        Assert.True(rig.Jobs.TryTake(out var again));
        Assert.Equal(eventId, again);
        // Dispatched once: the next pass leaves it alone while its job is pending.
        Assert.Equal(0, await rig.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal(WebhookRunOutcome.Delivered, await rig.Delivery.RunAsync(eventId, CancellationToken.None));
        Assert.Single(receiver.ProcessedFor(call.Id));
    }

    [Fact]
    public async Task The_dispatcher_enqueues_an_event_whose_job_was_lost_and_nothing_else()
    {
        await using var receiver = await WebhookReceiver.StartAsync(DeliveryRig.Secret);
        var rig = new DeliveryRig(db, receiver.Url, o => o.LostJobAfter = TimeSpan.FromMinutes(1));
        var lost = await rig.NewCallAsync();
        var fresh = await rig.NewCallAsync();
        while (rig.Jobs.TryTake(out _))
        {
            // The process "crashed" after recording the events: their jobs are gone.
        }

        var lostEvent = Assert.Single(await rig.EventsAsync(lost.Id)).Id;
        var freshEvent = Assert.Single(await rig.EventsAsync(fresh.Id)).Id;
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE webhook_events SET next_attempt_at = now() - interval '5 minutes', dispatched_at = now() - interval '5 minutes' WHERE id = @lostEvent",
                new { lostEvent });
        }

        await rig.Dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Contains(lostEvent, rig.Jobs.Snapshot);
        Assert.DoesNotContain(freshEvent, rig.Jobs.Snapshot);
        Assert.Equal(WebhookRunOutcome.Delivered, await rig.Delivery.RunAsync(lostEvent, CancellationToken.None));
        Assert.Single(receiver.ProcessedFor(lost.Id));
        Assert.Equal(WebhookRunOutcome.Delivered, await rig.Delivery.RunAsync(freshEvent, CancellationToken.None));
    }
}
