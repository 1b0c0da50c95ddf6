using CallControl.Cdr.Journal;
using CallControl.Data;
using CallControl.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Cdr;

/// <summary>
/// Stores leg rows through <see cref="LegStore"/>'s idempotent upsert by leg UUID, for both paths, in batches: one
/// loop writes whatever has queued up since its last write in one round trip and one transaction, so under load a
/// CDR costs PostgreSQL a statement, not a statement, a round trip and a commit. A leg's CHANNEL_HANGUP_COMPLETE is
/// held for <see cref="CdrWriterOptions.EventHold"/> when the same leg's mod_json_cdr POST has not come yet, and the
/// two are written as one row (<see cref="LegMerge"/>) instead of a row and an update that merges its documents
/// again. A POST that comes first waits <see cref="CdrWriterOptions.PostHold"/> for its event (default zero: with
/// FreeSWITCH's synchronous posting the event only follows the POST's answer).
/// A leg whose <c>x_call_id</c> names no call row (a call this database never saw, e.g. created on another
/// deployment) is stored without the call link rather than refused: refusing would make FreeSWITCH spool and retry it
/// forever, and the id stays in the row's variables. When PostgreSQL is unreachable the writes go to the
/// <see cref="CdrJournal"/> (and, while the journal holds entries, every write does, so the replay keeps arrival order).
/// </summary>
public sealed class CdrWriter : IAsyncDisposable
{
    private const string ForeignKeyViolation = "23503";
    private static readonly TimeSpan PostedMemory = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxStoreWait = TimeSpan.FromSeconds(30);

    private readonly LegStore _legs;
    private readonly CdrJournal _journal;
    private readonly IServiceProvider _services;
    private readonly ILogger<CdrWriter> _logger;
    private readonly CdrWriterOptions _options;
    private readonly TimeProvider _time;
    private readonly PostgresTraffic? _traffic;
    private readonly Lock _lock = new();
    private readonly List<Pending> _ready = [];
    private readonly Dictionary<Guid, Pending> _held = [];
    // Legs whose POST was stored lately (leg, when): an event that comes after it is late (see Submit).
    private readonly Dictionary<Guid, long> _posted = [];
    private long _postedPrunedAt;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _stopping;
    private long _batches;
    private long _rows;
    private long _combined;
    private long _late;

    /// <summary>Starts the write loop.</summary>
    public CdrWriter(
        LegStore legs,
        CdrJournal journal,
        IOptions<CdrWriterOptions> options,
        IServiceProvider services,
        ILogger<CdrWriter> logger,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _legs = legs;
        _journal = journal;
        _services = services;
        _logger = logger;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        // Resolved now, so it counts from the start (see WaitStoredAsync); absent outside the service's container.
        _traffic = services.GetService<PostgresTraffic>();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Batches written (each one round trip and one transaction).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Leg rows written through batches (a combined event and POST counts once).</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Events written together with their leg's POST as one row.</summary>
    public long Combined => Interlocked.Read(ref _combined);

    /// <summary>Events that came after their leg's POST was stored, written without their variables.</summary>
    public long Late => Interlocked.Read(ref _late);

    /// <summary>
    /// Makes the write durable: in PostgreSQL, or in the journal when PostgreSQL is unreachable. Throws only when
    /// neither took it (the journal's disk failed) or PostgreSQL refused the row itself.
    /// </summary>
    public Task<CdrDurability> WriteAsync(LegUpsert leg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        var pending = new Pending(leg);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (leg.Source == LegSource.JsonCdr && _held.TryGetValue(leg.LegUuid, out var held) && held.Leg.Source == LegSource.Event)
            {
                _held.Remove(leg.LegUuid);
                pending = new Pending(LegMerge.Combine(held.Leg, leg), held);
                Interlocked.Increment(ref _combined);
                _ready.Add(pending);
            }
            else if (leg.Source == LegSource.JsonCdr && _options.PostHold > TimeSpan.Zero && !_held.ContainsKey(leg.LegUuid))
            {
                // The POST came first and a hold is configured (queue-capacity posting, where events may lag): it
                // waits for the event in turn, briefly.
                pending = new Pending(leg) { Due = DueAfter(_options.PostHold) };
                _held.Add(leg.LegUuid, pending);
            }
            else
            {
                _ready.Add(pending);
            }
        }

        Wake();
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The event path: hands the leg over and returns at once (the event queue does not wait on the database). The
    /// leg is held for <see cref="CdrWriterOptions.EventHold"/> to meet its mod_json_cdr POST (or meets the POST held
    /// for it), then written as <see cref="WriteAsync"/> does; a failure is logged here (the POST is the backstop).
    /// An event whose leg's POST this writer stored already (FreeSWITCH's usual order: it fires the event after its
    /// synchronous POST was answered) is written at once and
    /// without its variables: the document's are the same channel's, taken later, and merging 7 KB of them again into
    /// the stored ones cost PostgreSQL more than the rest of the row; its facts still fill in what the document lacked
    /// (our node name).
    /// </summary>
    public void Submit(LegUpsert leg)
    {
        ArgumentNullException.ThrowIfNull(leg);
        var pending = new Pending(leg) { Due = DueAfter(_options.EventHold) };
        lock (_lock)
        {
            if (_stopping)
            {
                Log.CdrEventSkipped(_logger, leg.FreeswitchNode ?? "?", $"leg {leg.LegUuid} ended while the service stops (its POST still brings the row)");
                return;
            }

            if (_posted.ContainsKey(leg.LegUuid))
            {
                pending = LateEvent(pending);
                _ready.Add(pending);
            }
            else if (_held.TryGetValue(leg.LegUuid, out var post) && post.Leg.Source == LegSource.JsonCdr)
            {
                _held.Remove(leg.LegUuid);
                pending = new Pending(LegMerge.Combine(leg, post.Leg), post);
                Interlocked.Increment(ref _combined);
                _ready.Add(pending);
            }
            else if (_options.EventHold <= TimeSpan.Zero || !_held.TryAdd(leg.LegUuid, pending))
            {
                // No hold, or a second event for a leg already held: write it behind the first.
                _ready.Add(pending);
            }
        }

        Wake();
        _ = pending.Done.Task.ContinueWith(
            t => Log.CdrStoreFailed(_logger, leg.LegUuid, leg.SourceText, t.Exception!.GetBaseException()),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Whether this writer stored the leg's mod_json_cdr document within the last minute, so that an event of the
    /// leg submitted now is written without its variables (see <see cref="Submit"/>).
    /// </summary>
    public bool IsStored(Guid legUuid)
    {
        lock (_lock)
        {
            return _posted.ContainsKey(legUuid);
        }
    }

    /// <summary>One upsert, now (the journal's replay calls it directly); throws when the database is unreachable.</summary>
    public async Task StoreAsync(LegUpsert leg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        try
        {
            await _legs.UpsertAsync(leg, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == ForeignKeyViolation && leg.CallId is not null)
        {
            await _legs.UpsertAsync(leg with { CallId = null }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes everything still held or queued, then stops the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        _wake.Release();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private long DueAfter(TimeSpan hold) => _time.GetTimestamp() + (long)(hold.TotalSeconds * _time.TimestampFrequency);

    // The loop takes everything queued on each pass, so one pending signal is enough: a count per write would make
    // it spin through empty passes after every batch.
    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            List<Pending> batch;
            TimeSpan wait;
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                var nextDue = long.MaxValue;
                if (_held.Count > 0)
                {
                    List<Guid>? due = null;
                    foreach (var (uuid, held) in _held)
                    {
                        if (_stopping || held.Due <= now)
                        {
                            (due ??= []).Add(uuid);
                        }
                        else
                        {
                            nextDue = Math.Min(nextDue, held.Due);
                        }
                    }

                    foreach (var uuid in due ?? [])
                    {
                        _held.Remove(uuid, out var held);
                        // An event whose POST came while it waited and was stored first (it was already queued then).
                        _ready.Add(held!.Leg.Source == LegSource.Event && _posted.ContainsKey(uuid) ? LateEvent(held) : held);
                    }
                }

                var take = Math.Min(_ready.Count, _options.MaxBatch);
                batch = _ready.GetRange(0, take);
                _ready.RemoveRange(0, take);
                if (batch.Count == 0 && _stopping)
                {
                    return;
                }

                wait = batch.Count > 0 || _ready.Count > 0 ? TimeSpan.Zero
                    : nextDue == long.MaxValue ? Timeout.InfiniteTimeSpan
                    : _time.GetElapsedTime(now, nextDue);
            }

            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch).ConfigureAwait(false);
                continue;
            }

            try
            {
                await _wake.WaitAsync(wait, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        if (!_journal.HasPending)
        {
            var write = _legs.UpsertManyAsync([.. batch.Select(p => p.Leg)], _stop.Token);
            try
            {
                await WaitStoredAsync(write).ConfigureAwait(false);
                Interlocked.Increment(ref _batches);
                Stored(batch);
                return;
            }
            catch (Exception e) when (PostgresFailures.IsTransient(e))
            {
                Log.CdrStoreFailed(_logger, batch[0].Leg.LegUuid, batch[0].Leg.SourceText, e);
                ObserveAbandoned(write);
            }
            catch (NpgsqlException)
            {
                // PostgreSQL refused some row of the batch, so none was stored: find which, one by one.
                await WriteOneByOneAsync(batch).ConfigureAwait(false);
                return;
            }
#pragma warning disable CA1031 // Stopping, or a bug: the waiters get the failure (a POST is retried by FreeSWITCH), the loop goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                batch.ForEach(p => p.Fail(e));
                return;
            }
        }

        await JournalAsync(batch).ConfigureAwait(false);
    }

    // Waits for a batch's write. Each time StoreDeadline passes without PostgreSQL's answer, looks at whether this
    // process read anything at all from PostgreSQL meanwhile: a loaded server keeps answering (the write is waited
    // for; journaling it would only move the load to the slower one-by-one replay), a dark network does not, and then
    // this throws so the batch is journaled, inside FreeSWITCH's POST timeout. Past MaxStoreWait it is journaled
    // whatever the traffic. The write left behind may still land later: the upsert is idempotent, so its replay from
    // the journal changes nothing.
    private async Task WaitStoredAsync(Task write)
    {
        var traffic = _traffic;
        var started = _time.GetTimestamp();
        var bytesRead = traffic?.BytesRead ?? 0;
        while (true)
        {
            try
            {
                await write.WaitAsync(_options.StoreDeadline, _time).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException) when (!write.IsCompleted)
            {
                var now = traffic?.BytesRead ?? bytesRead;
                if (now == bytesRead || _time.GetElapsedTime(started) >= MaxStoreWait)
                {
                    throw;
                }

                bytesRead = now;
            }
        }
    }

    // A write given up on at its deadline ends some time later, often with the connection's failure: seen here, so
    // it is not an unobserved task exception.
    private static void ObserveAbandoned(Task write)
    {
        if (!write.IsCompleted)
        {
            _ = write.ContinueWith(
                t => _ = t.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    // An event whose leg's document is stored: its facts, not its variables (see Submit). Under _lock.
    private Pending LateEvent(Pending held)
    {
        Interlocked.Increment(ref _late);
        return new Pending(held.Leg with { Variables = null }, held) { Due = held.Due };
    }

    // Legs now in PostgreSQL, by a batch or one by one: counted, logged, their waiters answered, and their documents
    // remembered.
    private void Stored(List<Pending> legs)
    {
        Interlocked.Add(ref _rows, legs.Count);
        RememberPosted(legs);
        foreach (var p in legs)
        {
            Log.CdrStored(_logger, p.Leg.LegUuid, p.Leg.SourceText, p.Leg.FreeswitchNode);
            p.Complete(CdrDurability.Stored);
        }
    }

    // The legs whose document is now stored, so a late event of theirs is recognised; forgotten after a minute (an
    // event that late is written whole, as it would have been anyway).
    private void RememberPosted(List<Pending> batch)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            foreach (var p in batch)
            {
                if (p.Leg.JsonCdr is not null)
                {
                    _posted[p.Leg.LegUuid] = now;
                }
            }

            if (_time.GetElapsedTime(_postedPrunedAt, now) > PostedMemory)
            {
                _postedPrunedAt = now;
                foreach (var (uuid, at) in _posted)
                {
                    if (_time.GetElapsedTime(at, now) > PostedMemory)
                    {
                        _posted.Remove(uuid);
                    }
                }
            }
        }
    }

    // A batch PostgreSQL refused as a whole: each leg alone, so one bad row (or a stray call id) fails only itself.
    private async Task WriteOneByOneAsync(List<Pending> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var p = batch[i];
            try
            {
                await StoreAsync(p.Leg, _stop.Token).ConfigureAwait(false);
                Stored([p]);
            }
            catch (Exception e) when (PostgresFailures.IsTransient(e))
            {
                Log.CdrStoreFailed(_logger, p.Leg.LegUuid, p.Leg.SourceText, e);
                await JournalAsync(batch.GetRange(i, batch.Count - i)).ConfigureAwait(false);
                return;
            }
#pragma warning disable CA1031 // The writer's caller gets the failure; the loop goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                p.Fail(e);
            }
        }
    }

    private async Task JournalAsync(List<Pending> batch)
    {
        foreach (var p in batch)
        {
            try
            {
                await _journal.AppendAsync(p.Leg, CancellationToken.None).ConfigureAwait(false);
                _services.GetService<ServiceMetrics>()?.CdrJournaled(p.Leg.SourceText);
                p.Complete(CdrDurability.Journaled);
            }
#pragma warning disable CA1031 // Neither PostgreSQL nor the disk took it: the writer's caller gets the failure.
            catch (Exception e)
#pragma warning restore CA1031
            {
                p.Fail(e);
            }
        }
    }

    /// <summary>A write waiting for the loop, and whoever waits for it (a combined write answers both).</summary>
    private sealed class Pending(LegUpsert leg, Pending? also = null)
    {
        public LegUpsert Leg { get; } = leg;

        public TaskCompletionSource<CdrDurability> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When a held event is written alone (timestamp).</summary>
        public long Due { get; init; }

        public void Complete(CdrDurability durability)
        {
            Done.TrySetResult(durability);
            also?.Complete(durability);
        }

        public void Fail(Exception e)
        {
            Done.TrySetException(e);
            also?.Fail(e);
        }
    }
}

/// <summary>Where a CDR write ended up.</summary>
public enum CdrDurability
{
    /// <summary>In PostgreSQL.</summary>
    Stored,
    /// <summary>In the local journal, to be replayed when PostgreSQL answers.</summary>
    Journaled,
}
