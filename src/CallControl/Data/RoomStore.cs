using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace CallControl.Data;

/// <summary>Rooms: where a caller and a callee (an app user or a phone number) meet.</summary>
public sealed class RoomStore(NpgsqlDataSource dataSource)
{
    private static readonly string InsertSql = InsertRoomSql("");

    /// <summary>
    /// The room's INSERT (returning <c>created_at</c>) with its parameters named <paramref name="prefix"/> + the
    /// <see cref="RoomRecord"/> property: for statements that store the room together with other rows.
    /// </summary>
    internal static string InsertRoomSql(string prefix) => $"""
        INSERT INTO rooms (id, caller_user_id, callee_user_id, callee_number, media, record,
                           fallback_policy_override, freeswitch_node, state, webhook_url)
        VALUES (@{prefix}Id, @{prefix}CallerUserId, @{prefix}CalleeUserId, @{prefix}CalleeNumber, @{prefix}Media,
                @{prefix}Record, CAST(@{prefix}FallbackPolicyOverride AS jsonb), @{prefix}FreeswitchNode, @{prefix}State,
                @{prefix}WebhookUrl)
        RETURNING created_at
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

    /// <summary>Inserts the room (give it <see cref="NewId"/>); returns it with its creation time. A room request
    /// stores its room with its call instead (<see cref="CallStore.CreateWithRoomAsync"/>).</summary>
    public async Task<RoomRecord> CreateAsync(RoomRecord room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var createdAt = await connection.QuerySingleAsync<DateTime>(
            new CommandDefinition(InsertSql, room, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
