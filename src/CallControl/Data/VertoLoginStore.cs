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

    // One statement decides and consumes: a login that has expired, was used, belongs to another room or to nobody
    // in this call matches no row and stays as it was.
    private const string ConsumeForCallSql = """
        UPDATE verto_logins
        SET used_at = @at
        WHERE login = @login
          AND room_id = @roomId
          AND user_id = ANY(@parties)
          AND expires_at > @at
          AND used_at IS NULL
        RETURNING user_id
        """;

    /// <summary>
    /// Issues a login for <paramref name="userId"/> in <paramref name="roomId"/>: login <c>v</c> + 16 hex digits,
    /// password 32 hex digits, both from a CSPRNG and both in a charset that needs no escaping anywhere.
    /// </summary>
    public async Task<VertoLogin> IssueAsync(string roomId, string userId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var login = New(roomId, userId, ttl);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, login, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return login;
    }

    /// <summary>
    /// A login as <see cref="IssueAsync"/> makes it, not stored yet: for <see cref="RoomStore.CreateAsync(RoomRecord,
    /// VertoLogin?, CancellationToken)"/>, which stores a new room's first login with the room.
    /// </summary>
    public VertoLogin New(string roomId, string userId, TimeSpan ttl) => new()
    {
        Login = "v" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        RoomId = roomId,
        UserId = userId,
        ExpiresAt = timeProvider.GetUtcNow().UtcDateTime + ttl,
    };

    /// <summary>The login if it exists and has not expired, else null.</summary>
    public async Task<VertoLogin?> FindValidAsync(string login, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<VertoLogin>(
            new CommandDefinition(SelectValidSql, new { login, now }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Consumes the login for a leg that parked in <paramref name="roomId"/>: only when it has not expired, has not placed
    /// a leg before, was issued for that room and to one of <paramref name="parties"/> (the call's caller and callee).
    /// Returns the user it was issued to, or null (then nothing changed).
    /// </summary>
    public async Task<string?> ConsumeForCallAsync(string login, string roomId, IReadOnlyCollection<string> parties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parties);
        var at = timeProvider.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            ConsumeForCallSql, new { login, roomId, parties = parties.ToArray(), at }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
