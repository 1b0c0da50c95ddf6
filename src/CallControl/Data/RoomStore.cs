using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace CallControl.Data;

/// <summary>Rooms: where a caller and a callee (an app user or a phone number) meet.</summary>
public sealed class RoomStore(NpgsqlDataSource dataSource)
{
    private const string InsertSql = """
        INSERT INTO rooms (id, caller_user_id, callee_user_id, callee_number, media, record,
                           fallback_policy_override, freeswitch_node, state, webhook_url)
        VALUES (@Id, @CallerUserId, @CalleeUserId, @CalleeNumber, @Media, @Record,
                CAST(@FallbackPolicyOverride AS jsonb), @FreeswitchNode, @State, @WebhookUrl)
        RETURNING created_at
        """;

    // The room and its caller's first login in one statement: one round trip, one commit. The login's foreign key is
    // checked at the end of the statement, when the room's row is there.
    private const string InsertWithLoginSql = $"""
        WITH room AS (
        {InsertSql}
        ),
        login AS (
            INSERT INTO verto_logins (login, password, room_id, user_id, expires_at)
            VALUES (@Login, @Password, @Id, @LoginUserId, @ExpiresAt)
        )
        SELECT created_at FROM room
        """;

    private const string SelectSql = """
        SELECT id, caller_user_id, callee_user_id, callee_number, media, record,
               fallback_policy_override::text AS fallback_policy_override, freeswitch_node, state, created_at, webhook_url
        FROM rooms
        WHERE id = @id
        """;

    private const string UpdateStateSql = """
        UPDATE rooms
        SET state = @state
        WHERE id = @id
        """;

    /// <summary>
    /// A new room id: 16 lowercase hex digits from a CSPRNG. Hex only, because the id travels in the verto
    /// destination <c>room-&lt;id&gt;</c> and in channel variables, where nothing but a safe charset belongs.
    /// </summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Inserts the room (give it <see cref="NewId"/>); returns it with its creation time.</summary>
    public Task<RoomRecord> CreateAsync(RoomRecord room, CancellationToken cancellationToken = default) =>
        CreateAsync(room, null, cancellationToken);

    /// <summary>
    /// As <see cref="CreateAsync(RoomRecord, CancellationToken)"/>, storing <paramref name="login"/> (made by
    /// <see cref="VertoLoginStore.New"/> for this room) in the same statement.
    /// </summary>
    public async Task<RoomRecord> CreateAsync(RoomRecord room, VertoLogin? login, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        if (login is not null && login.RoomId != room.Id)
        {
            throw new ArgumentException($"the login is for room {login.RoomId}, not {room.Id}", nameof(login));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var command = login is null
            ? new CommandDefinition(InsertSql, room, cancellationToken: cancellationToken)
            : new CommandDefinition(InsertWithLoginSql, new
            {
                room.Id, room.CallerUserId, room.CalleeUserId, room.CalleeNumber, room.Media, room.Record,
                room.FallbackPolicyOverride, room.FreeswitchNode, room.State, room.WebhookUrl,
                login.Login, login.Password, LoginUserId = login.UserId, login.ExpiresAt,
            }, cancellationToken: cancellationToken);
        var createdAt = await connection.QuerySingleAsync<DateTime>(command).ConfigureAwait(false);
        return room with { CreatedAt = createdAt };
    }

    /// <summary>The room with this id, or null.</summary>
    public async Task<RoomRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<RoomRecord>(
            new CommandDefinition(SelectSql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Sets the room's state (e.g. <c>open</c>, <c>closed</c>); false when there is no such room.</summary>
    public async Task<bool> SetStateAsync(string id, string state, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.ExecuteAsync(
            new CommandDefinition(UpdateStateSql, new { id, state }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows == 1;
    }
}
