using Microsoft.Extensions.Options;

namespace CallControl.Cdr.Journal;

/// <summary>
/// The loop that moves journaled CDRs into PostgreSQL once it answers again: every
/// <see cref="CdrJournalOptions.JournalReplayInterval"/> while the journal holds entries, in order, then truncates.
/// It survives any failure (logged once per outage, not per attempt).
/// </summary>
public sealed class CdrJournalReplayer(
    CdrJournal journal,
    CdrWriter writer,
    IOptions<CdrJournalOptions> options,
    ILogger<CdrJournalReplayer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.JournalReplayInterval);
        var failing = false;
        do
        {
            if (!journal.HasPending)
            {
                continue;
            }

            try
            {
                await journal.DrainAsync(writer.StoreAsync, stoppingToken).ConfigureAwait(false);
                failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must outlive any one failure (a row PostgreSQL refuses, a disk error).
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (!failing)
                {
                    failing = true;
                    CdrJournalLog.ReplayFailed(logger, e);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
