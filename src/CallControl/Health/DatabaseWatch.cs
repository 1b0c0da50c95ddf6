using CallControl.Data;
using Microsoft.Extensions.Logging;

namespace CallControl.Health;

/// <summary>
/// Whether PostgreSQL is known to be unreachable right now, so that requests which need it answer 503 at once instead
/// of each waiting out Npgsql's timeouts (<see cref="DatabaseGate"/>). Behind a dark network (packets dropped, nothing
/// refused) a room request otherwise held its client 7-13 s before its 503 (tests/Faults/PostgresPartitionTests), and
/// every such request added a connection attempt to the pile.
/// <para>
/// Every <see cref="Interval"/> it asks <see cref="DatabaseProbe"/> (the readiness ping, shared with the probes) and
/// reads <see cref="PostgresTraffic"/> over the same window, at least an interval long. PostgreSQL is unreachable when
/// the ping failed and this process read nothing at all from PostgreSQL meanwhile: a database that is only slow or
/// loaded keeps answering someone's commands, so a slow ping alone never sheds a request. It is reachable again at the
/// first window with an answer (the ping's, or anyone's), so a wrong verdict lasts one window.
/// </para>
/// </summary>
public sealed partial class DatabaseWatch(DatabaseProbe probe, PostgresTraffic traffic, TimeProvider time, ILogger<DatabaseWatch> logger)
    : BackgroundService
{
    /// <summary>How often PostgreSQL is checked (and the shortest window a verdict of unreachable rests on).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private volatile Outage? _outage;
    private long _checks;

    /// <summary>Why PostgreSQL is unreachable and since when; null while it answers (or has not been checked yet).</summary>
    public Outage? Unreachable => _outage;

    /// <summary>Windows checked so far (tests wait on it).</summary>
    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>One window: ping, wait out the rest of the interval after a quick failure, then decide.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var readBefore = traffic.BytesRead;
        var error = await probe.CheckAsync(cancellationToken).ConfigureAwait(false);
        if (error is not null && time.GetElapsedTime(started) is var elapsed && elapsed < Interval)
        {
            // A refusal comes back at once; one failed connect is not an outage unless nothing else got through
            // over a whole window either.
            await Task.Delay(Interval - elapsed, time, cancellationToken).ConfigureAwait(false);
        }

        var answered = error is null || traffic.BytesRead != readBefore;
        var was = _outage;
        if (answered && was is not null)
        {
            _outage = null;
            var seconds = (time.GetUtcNow() - was.Since).TotalSeconds;
            AnswersAgain(logger, seconds);
        }
        else if (!answered && was is null)
        {
            _outage = new Outage(time.GetUtcNow(), error!);
            WentUnreachable(logger, error!);
        }

        Interlocked.Increment(ref _checks);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Since when PostgreSQL has not answered, and the ping's last word on why.</summary>
    public sealed record Outage(DateTimeOffset Since, string Reason);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "PostgreSQL is unreachable ({Reason}): requests that need it answer 503 until it answers again")]
    private static partial void WentUnreachable(ILogger logger, string reason);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "PostgreSQL answers again after {Seconds:F1} s: requests that need it are served again")]
    private static partial void AnswersAgain(ILogger logger, double seconds);
}
