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

    // A new room's parties and the caller's carrier usage, one round trip: the usage counts only when the room may
    // dial the carrier (a number the policy accepted, or a callee with a number on file who allows fallback), else
    // the gate is false and PostgreSQL scans nothing.
    private const string SelectPartiesSql = SelectPairSql + ";\n" + PstnUsageStore.UsageSql + """
          AND (@dialsNumber OR EXISTS (
                SELECT 1 FROM users
                WHERE id = @second AND phone_number IS NOT NULL AND pstn_fallback_allowed))
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
    /// A new room's caller and callee (either null when there is no such user; <paramref name="callee"/> may be null
    /// or the caller) and the caller's carrier usage since
    /// <paramref name="usageSince"/> (as <see cref="PstnUsageStore"/> counts it), in one round trip. The usage is
    /// counted when <paramref name="dialsNumber"/> (a direct call to a number) or when the callee has a number on file
    /// and allows fallback; otherwise it is zero and must not be used.
    /// </summary>
    public async Task<RoomParties> GetRoomPartiesAsync(
        string caller, string? callee, bool dialsNumber, DateTime usageSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(SelectPartiesSql, connection);
        command.Parameters.AddWithValue("first", caller);
        command.Parameters.AddWithValue("second", callee ?? caller);
        command.Parameters.AddWithValue("userId", caller);
        command.Parameters.AddWithValue("since", usageSince);
        command.Parameters.AddWithValue("dialsNumber", dialsNumber);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var users = reader.GetRowParser<UserRecord>();
        UserRecord? first = null, second = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var user = users(reader);
            first = user.Id == caller ? user : first;
            second = callee is not null && user.Id == callee ? user : second;
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var usage = new Dialing.PstnUsage((int)reader.GetInt64(0), (int)reader.GetInt64(1));
        return new RoomParties(first, second, usage);
    }
}

/// <summary>A new room's caller and callee (null when there is no such user) and the caller's carrier usage.</summary>
public sealed record RoomParties(UserRecord? Caller, UserRecord? Callee, Dialing.PstnUsage CallerUsage);
