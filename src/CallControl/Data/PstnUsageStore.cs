using CallControl.Dialing;
using Dapper;
using Npgsql;

namespace CallControl.Data;

/// <summary>Counts a user's carrier calls for the dialing policy's limits, from <c>calls.pstn_dialed_at</c>.</summary>
public sealed class PstnUsageStore(NpgsqlDataSource dataSource)
{
    /// <summary>The counts for <c>@userId</c> since <c>@since</c> (live, since); <see cref="UserStore"/> reads them
    /// with a new room's parties.</summary>
    internal const string UsageSql = """
        SELECT count(*) FILTER (WHERE status NOT IN ('completed', 'busy', 'refused', 'no_answer', 'offline', 'canceled', 'failed'))
                   AS live,
               count(*) FILTER (WHERE pstn_dialed_at >= @since) AS since
        FROM calls
        WHERE caller = @userId
          AND pstn_dialed_at IS NOT NULL
        """;

    /// <summary>The user's live carrier calls, and those dialed at or after <paramref name="sinceUtc"/>.</summary>
    public async Task<PstnUsage> GetUsageAsync(string userId, DateTime sinceUtc, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleAsync<(long Live, long Since)>(
            new CommandDefinition(UsageSql, new { userId, since = sinceUtc }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new PstnUsage((int)row.Live, (int)row.Since);
    }
}
