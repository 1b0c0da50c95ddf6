using System.Collections.Concurrent;
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
    /// <summary>How long a login this instance stored is answered from memory (the verto client logs in right after
    /// the room answer hands it out); later lookups, and lookups on other instances, read PostgreSQL.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(1);

    /// <summary>At most this many recent logins are kept (beyond it the oldest are dropped at the next sweep).</summary>
    public const int MaxRecent = 100_000;

    // Logins stored by this instance lately, by login, with when they were remembered. A stored login never changes
    // in a way a directory lookup reads (only used_at, which it ignores) and is never deleted, so the answer from here
    // is the one PostgreSQL would give; only logins whose insert committed are here.
    private readonly ConcurrentDictionary<string, (VertoLogin Login, long At)> _recent = new(StringComparer.Ordinal);
    private long _sweptAt = timeProvider.GetTimestamp();
    private int _sweeping;

    // Parameters named as VertoLogin's properties (CallStore's room request statement binds the same names).
    internal const string InsertSql = """
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

    // One statement decides and consumes: a login that has expired, was used by another leg, belongs to another room
    // or to nobody in this call matches no row and stays as it was. The same leg finds its own consume again (a retry
    // after a lost reply) and changes nothing.
    private const string ConsumeForCallSql = """
        UPDATE verto_logins
        SET used_at = COALESCE(used_at, @at),
            used_by_leg = @leg
        WHERE login = @login
          AND room_id = @roomId
          AND user_id = ANY(@parties)
          AND ((used_at IS NULL AND expires_at > @at) OR used_by_leg = @leg)
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
        Remember(login);
        return login;
    }

    /// <summary>
    /// Notes a login that is now stored (its insert committed), so this instance answers the directory lookup that
    /// follows from memory: one round trip fewer per verto login. <see cref="IssueAsync"/> does this itself.
    /// </summary>
    public void Remember(VertoLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        var now = timeProvider.GetTimestamp();
        _recent[login.Login] = (login, now);
        if ((_recent.Count > MaxRecent || timeProvider.GetElapsedTime(Volatile.Read(ref _sweptAt), now) > RecentWindow)
            && Interlocked.Exchange(ref _sweeping, 1) == 0)
        {
            try
            {
                Sweep(now);
            }
            finally
            {
                Volatile.Write(ref _sweeping, 0);
            }
        }
    }

    /// <summary>Logins answered from memory right now (for tests and diagnostics).</summary>
    public int RecentCount => _recent.Count;

    // Drops what is past the window and, over the cap, the oldest.
    private void Sweep(long now)
    {
        Volatile.Write(ref _sweptAt, now);
        foreach (var (name, entry) in _recent)
        {
            if (timeProvider.GetElapsedTime(entry.At, now) > RecentWindow)
            {
                _recent.TryRemove(name, out _);
            }
        }

        var over = _recent.Count - MaxRecent;
        if (over > 0)
        {
            foreach (var (name, _) in _recent.OrderBy(e => e.Value.At).Take(over))
            {
                _recent.TryRemove(name, out _);
            }
        }
    }

    /// <summary>
    /// A login as <see cref="IssueAsync"/> makes it, not stored yet: for <see cref="CallStore.CreateWithRoomAsync"/>,
    /// which stores a new room's first login with the room and its call.
    /// </summary>
    public VertoLogin New(string roomId, string userId, TimeSpan ttl) => new()
    {
        Login = "v" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        RoomId = roomId,
        UserId = userId,
        ExpiresAt = timeProvider.GetUtcNow().UtcDateTime + ttl,
    };

    /// <summary>
    /// The login if it exists and has not expired, else null. A login this instance stored within
    /// <see cref="RecentWindow"/> and has not consumed is answered from memory; its <see cref="VertoLogin.UsedAt"/> is
    /// then null even if another instance consumed it (the directory answer does not depend on it).
    /// </summary>
    public async Task<VertoLogin?> FindValidAsync(string login, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (_recent.TryGetValue(login, out var recent) &&
            timeProvider.GetElapsedTime(recent.At) <= RecentWindow &&
            recent.Login.ExpiresAt > now)
        {
            return recent.Login;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<VertoLogin>(
            new CommandDefinition(SelectValidSql, new { login, now }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Consumes the login for the leg <paramref name="legUuid"/> that parked in <paramref name="roomId"/>: only when it
    /// has not expired, has not placed another leg, was issued for that room and to one of <paramref name="parties"/>
    /// (the call's caller and callee). Consuming it again for the same leg (a retry after a lost reply, or the next
    /// owner's reconcile) finds it consumed by that leg and answers the same. Returns the user it was issued to, or null
    /// (then nothing changed).
    /// </summary>
    public async Task<string?> ConsumeForCallAsync(
        string login, string roomId, IReadOnlyCollection<string> parties, string legUuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parties);
        var at = timeProvider.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var user = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            ConsumeForCallSql, new { login, roomId, parties = parties.ToArray(), at, leg = legUuid }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (user is not null)
        {
            // Its client is in: a later lookup (a re-login) reads PostgreSQL, which knows it was used.
            _recent.TryRemove(login, out _);
        }

        return user;
    }
}
