using Dapper;
using Npgsql;

namespace CallControl.Data;

/// <summary>Users: the people who call and are called.</summary>
public sealed class UserStore(NpgsqlDataSource dataSource)
{
    private const string InsertSql = """
        INSERT INTO users (id, display_name, phone_number, pstn_fallback_allowed, is_admin)
        VALUES (@Id, @DisplayName, @PhoneNumber, @PstnFallbackAllowed, @IsAdmin)
        ON CONFLICT (id) DO NOTHING
        RETURNING created_at
        """;

    private const string SelectSql = """
        SELECT id, display_name, phone_number, pstn_fallback_allowed, is_admin, created_at
        FROM users
        WHERE id = @id
        """;

    private const string SelectPairSql = """
        SELECT id, display_name, phone_number, pstn_fallback_allowed, is_admin, created_at
        FROM users
        WHERE id IN (@first, @second)
        """;

    /// <summary>
    /// Adds a user; returns it with its creation time, or null when the id is taken (a domain result, not an error).
    /// </summary>
    public async Task<UserRecord?> AddAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var createdAt = await connection.QuerySingleOrDefaultAsync<DateTime?>(
            new CommandDefinition(InsertSql, user, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return createdAt is { } at ? user with { CreatedAt = at } : null;
    }

    /// <summary>The user with this id, or null.</summary>
    public async Task<UserRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<UserRecord>(
            new CommandDefinition(SelectSql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Two users in one round trip (a call's caller and callee); either is null when there is no such user.
    /// <paramref name="second"/> may be null or equal to <paramref name="first"/>.
    /// </summary>
    public async Task<(UserRecord? First, UserRecord? Second)> GetPairAsync(string first, string? second, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(first);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<UserRecord>(new CommandDefinition(
            SelectPairSql, new { first, second = second ?? first }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        return (rows.Find(u => u.Id == first), second is null ? null : rows.Find(u => u.Id == second));
    }
}
