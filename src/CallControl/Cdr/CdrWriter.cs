using CallControl.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallControl.Cdr;

/// <summary>
/// Stores a leg row through <see cref="LegStore"/>'s idempotent upsert by leg UUID, for both paths. A leg whose
/// <c>x_call_id</c> names no call row (a call this database never saw, e.g. created on another deployment) is stored
/// without the call link rather than refused: refusing would make FreeSWITCH spool and retry it forever, and the id
/// stays in the row's variables.
/// </summary>
public sealed class CdrWriter(LegStore legs, ILogger<CdrWriter> logger)
{
    private const string ForeignKeyViolation = "23503";

    /// <summary>Inserts or enriches the row; throws when the database is unreachable (the caller decides what then).</summary>
    public async Task WriteAsync(LegUpsert leg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        var source = leg.Source == LegSource.Event ? "event" : "json_cdr";
        try
        {
            try
            {
                await legs.UpsertAsync(leg, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == ForeignKeyViolation && leg.CallId is not null)
            {
                await legs.UpsertAsync(leg with { CallId = null }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            Log.CdrStoreFailed(logger, leg.LegUuid, source, e);
            throw;
        }

        Log.CdrStored(logger, leg.LegUuid, source, leg.FreeswitchNode);
    }
}
