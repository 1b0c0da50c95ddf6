using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace CallControl.Data;

/// <summary>
/// One-time verto logins: each user joining a room gets its own login and random password, valid until it
/// expires. mod_xml_curl's directory lookup (<c>action=jsonrpc-authenticate</c>) reads them.
/// </summary>
public sealed class VertoLoginStore(NpgsqlDataSource dataSource, TimeProvider timeProvider)
{
    private const string InsertSql = """
        INSERT INTO verto_logins (login, password, room_id, user_id, expires_at)
        VALUES (@Login, @Password, @RoomId, @UserId, @ExpiresAt)
        """;

    // Looked up by the directory for every login attempt; a wrong password makes FreeSWITCH ask again, so a lookup
    // must not consume the login (the capture shows the same user fetched twice, the second time for a bad password).
    private const string SelectValidSql = """
        SELECT login, password, room_id, user_id, expires_at, used_at
        FROM verto_logins
        WHERE login = @login
          AND expires_at > @now
        """;

    private const string MarkUsedSql = """
        UPDATE verto_logins
        SET used_at = @at
        WHERE login = @login
          AND used_at IS NULL
        """;

    /// <summary>
    /// Issues a login for <paramref name="userId"/> in <paramref name="roomId"/>: login <c>v</c> + 16 hex digits,
    /// password 32 hex digits, both from a CSPRNG and both in a charset that needs no escaping anywhere.
    /// </summary>
    public async Task<VertoLogin> IssueAsync(string roomId, string userId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var login = new VertoLogin
        {
            Login = "v" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            RoomId = roomId,
            UserId = userId,
            ExpiresAt = timeProvider.GetUtcNow().UtcDateTime + ttl,
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, login, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return login;
    }

    /// <summary>The login if it exists and has not expired, else null.</summary>
    public async Task<VertoLogin?> FindValidAsync(string login, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<VertoLogin>(
            new CommandDefinition(SelectValidSql, new { login, now }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Records the first successful login (FreeSWITCH's <c>verto::login</c> event with success); false if already used.</summary>
    public async Task<bool> MarkUsedAsync(string login, CancellationToken cancellationToken = default)
    {
        var at = timeProvider.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.ExecuteAsync(
            new CommandDefinition(MarkUsedSql, new { login, at }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows == 1;
    }
}
