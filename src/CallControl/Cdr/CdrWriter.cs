using CallControl.Cdr.Journal;
using CallControl.Data;
using CallControl.Observability;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallControl.Cdr;

/// <summary>
/// Stores a leg row through <see cref="LegStore"/>'s idempotent upsert by leg UUID, for both paths. A leg whose
/// <c>x_call_id</c> names no call row (a call this database never saw, e.g. created on another deployment) is stored
/// without the call link rather than refused: refusing would make FreeSWITCH spool and retry it forever, and the id
/// stays in the row's variables. When PostgreSQL is unreachable the write goes to the <see cref="CdrJournal"/> (and,
/// while the journal holds entries, every write does, so the replay keeps arrival order).
/// </summary>
public sealed class CdrWriter(LegStore legs, CdrJournal journal, IServiceProvider services, ILogger<CdrWriter> logger)
{
    private const string ForeignKeyViolation = "23503";

    /// <summary>
    /// Makes the write durable: in PostgreSQL, or in the journal when PostgreSQL is unreachable. Throws only when
    /// neither took it (the journal's disk failed) or PostgreSQL refused the row itself.
    /// </summary>
    public async Task<CdrDurability> WriteAsync(LegUpsert leg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        var source = leg.SourceText;
        if (!journal.HasPending)
        {
            try
            {
                await StoreAsync(leg, cancellationToken).ConfigureAwait(false);
                Log.CdrStored(logger, leg.LegUuid, source, leg.FreeswitchNode);
                return CdrDurability.Stored;
            }
            catch (Exception e) when (CdrJournal.IsConnectivityFailure(e))
            {
                Log.CdrStoreFailed(logger, leg.LegUuid, source, e);
            }
        }

        await journal.AppendAsync(leg, cancellationToken).ConfigureAwait(false);
        services.GetService<ServiceMetrics>()?.CdrJournaled(source);
        return CdrDurability.Journaled;
    }

    /// <summary>The upsert itself (the journal's replay calls it directly); throws when the database is unreachable.</summary>
    public async Task StoreAsync(LegUpsert leg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        try
        {
            await legs.UpsertAsync(leg, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == ForeignKeyViolation && leg.CallId is not null)
        {
            await legs.UpsertAsync(leg with { CallId = null }, cancellationToken).ConfigureAwait(false);
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
