using System.Collections.Concurrent;
using CallControl.Data;
using CallControl.Tests.Support;
using CallControl.Webhooks;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.Tests.Webhooks;

/// <summary>
/// The webhook parts wired by hand on the test database, with <see cref="JobLog"/> in place of Hangfire so a test
/// runs each job itself and sees what was enqueued or scheduled (the Hangfire path runs in the scenario tests).
/// </summary>
internal sealed class DeliveryRig
{
    public const string Secret = "rig-webhook-secret-0123456789";

    private readonly List<Guid> _calls = [];

    public DeliveryRig(DatabaseFixture db, Uri? defaultUrl, Action<WebhookOptions>? configure = null)
    {
        Db = db;
        Options = new WebhookOptions
        {
            Url = defaultUrl,
            Secret = Secret,
            Timeout = TimeSpan.FromSeconds(1),
            MaxAttempts = 3,
            FirstRetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
        };
        configure?.Invoke(Options);
        Store = new WebhookEventStore(db.DataSource);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        var publisher = new WebhookPublisher(Store, Jobs, options, NullLogger<WebhookPublisher>.Instance);
        Calls = new CallStore(db.DataSource, [new CallStatusWebhooks(publisher)], NullLogger<CallStore>.Instance);
        Recordings = new RecordingStatusWebhooks(publisher, Store, TimeProvider.System, NullLogger<RecordingStatusWebhooks>.Instance);
        var http = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        Delivery = new WebhookDelivery(Store, Jobs, http, options, TimeProvider.System, NullLogger<WebhookDelivery>.Instance);
        Dispatcher = new WebhookDispatcher(Store, Jobs, options, NullLogger<WebhookDispatcher>.Instance);
    }

    public DatabaseFixture Db { get; }

    public WebhookOptions Options { get; }

    public JobLog Jobs { get; } = new();

    public WebhookEventStore Store { get; }

    /// <summary>A call store observed by the webhooks, as in the service.</summary>
    public CallStore Calls { get; }

    public RecordingStatusWebhooks Recordings { get; }

    public WebhookDelivery Delivery { get; }

    public WebhookDispatcher Dispatcher { get; }

    /// <summary>A new ringing call (so a call.ringing event) in a new room with <paramref name="roomUrl"/>.</summary>
    public async Task<CallRecord> NewCallAsync(Uri? roomUrl = null)
    {
        var caller = await Db.NewUserAsync();
        var room = await Db.Rooms.CreateAsync(new RoomRecord
        {
            Id = RoomStore.NewId(), CallerUserId = caller, CalleeNumber = "+15551230001", Media = "audio", WebhookUrl = roomUrl?.AbsoluteUri,
        });
        var id = Guid.NewGuid();
        _calls.Add(id);
        return await Calls.CreateAsync(new CallRecord
        {
            Id = id, RoomId = room.Id, Caller = caller, CalleeNumber = room.CalleeNumber, Media = "audio",
            Status = CallStatuses.Ringing, CreatedAt = DateTime.UtcNow, RingingAt = DateTime.UtcNow,
        }, "created");
    }

    /// <summary>Moves the call on (the store reads its version), as the router would.</summary>
    public async Task<CallRecord> MoveAsync(CallRecord call, CallChange change)
    {
        Assert.Equal(TransitionOutcome.Applied, await Calls.TransitionAsync(call.Id, call.Version, change));
        return (await Calls.GetAsync(call.Id))!;
    }

    public async Task<IReadOnlyList<EventRow>> EventsAsync(Guid callId)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<EventRow>(
            "SELECT id, type, url, state, attempts, body FROM webhook_events WHERE call_id = @callId ORDER BY seq", new { callId })];
    }

    public async Task<IReadOnlyList<AttemptRow>> AttemptsAsync(Guid eventId)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<AttemptRow>(
            "SELECT attempt, http_status, error, outcome, duration_ms FROM webhook_attempts WHERE event_id = @eventId ORDER BY attempt",
            new { eventId })];
    }

    /// <summary>
    /// Runs every job in the log, and what the dispatcher enqueues as retries fall due, until no event of this rig's
    /// calls is pending; the outcomes in order.
    /// </summary>
    public async Task<IReadOnlyList<(Guid Id, WebhookRunOutcome Outcome)>> DrainAsync()
    {
        var outcomes = new List<(Guid, WebhookRunOutcome)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "events still pending after 30 s");
            while (Jobs.TryTake(out var eventId))
            {
                outcomes.Add((eventId, await Delivery.RunAsync(eventId, CancellationToken.None)));
            }

            if (!await AnyPendingAsync())
            {
                return outcomes;
            }

            await Task.Delay(50);
            await Dispatcher.DispatchOnceAsync(CancellationToken.None);
        }
    }

    private async Task<bool> AnyPendingAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM webhook_events WHERE state = 'pending' AND call_id = ANY(@calls))", new { calls = _calls.ToArray() });
    }

    public sealed record EventRow
    {
        public Guid Id { get; init; }
        public string Type { get; init; } = "";
        public string Url { get; init; } = "";
        public string State { get; init; } = "";
        public int Attempts { get; init; }
        public string Body { get; init; } = "";
    }

    public sealed record AttemptRow
    {
        public int Attempt { get; init; }
        public int? HttpStatus { get; init; }
        public string? Error { get; init; }
        public string Outcome { get; init; } = "";
        public int DurationMs { get; init; }
    }
}

/// <summary>What the webhook parts asked to run, in order (Hangfire's place in <see cref="DeliveryRig"/>).</summary>
internal sealed class JobLog : IWebhookJobs
{
    private readonly ConcurrentQueue<Guid> _jobs = new();

    public int Count => _jobs.Count;

    public void Enqueue(Guid eventId) => _jobs.Enqueue(eventId);

    public bool TryTake(out Guid eventId) => _jobs.TryDequeue(out eventId);

    public IReadOnlyList<Guid> Snapshot => [.. _jobs];
}
