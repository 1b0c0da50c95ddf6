using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CallControl.Calls.Router;

namespace CallControl.Rooms;

/// <summary>What a signal bus message says.</summary>
internal enum SignalKind
{
    /// <summary>The sender is alive.</summary>
    Heartbeat,

    /// <summary>A user's first signaling socket on the sender opened, or its last one closed.</summary>
    Presence,

    /// <summary>One chunk of the sender's full list of users with a socket there.</summary>
    Snapshot,

    /// <summary>The sender (re)connected its listener: peers (or the one named) re-announce their presence.</summary>
    SyncRequest,

    /// <summary>The sender stops; its users are gone from it.</summary>
    Goodbye,

    /// <summary>A room event for a user, to be pushed by the instances holding the user's sockets.</summary>
    RoomEvent,

    /// <summary>A party's action on a room's call, received by an instance that does not steer it: the one that does applies it.</summary>
    RoomAction,

    /// <summary>To the sender of a <see cref="RoomAction"/> (the <c>Target</c>): the router here holds the call and queued the action (<c>Request</c>).</summary>
    ActionTaken,
}

/// <summary>
/// One message on the signal bus channel: small JSON, always under PostgreSQL's 8000-byte NOTIFY payload limit.
/// <c>Instance</c> is <c>Cluster:InstanceId</c>; <c>Incarnation</c> is random per process start, so a restarted instance
/// with the same id is told apart from its dead predecessor. <c>Sequence</c> grows per sender: PostgreSQL delivers a
/// payload repeated within one transaction only once, so no two messages of one sender may be equal.
/// </summary>
internal sealed record SignalMessage(SignalKind Kind, string Instance, string Incarnation, long Sequence)
{
    /// <summary>Payloads must be shorter than 8000 bytes (PostgreSQL's default NOTIFY limit).</summary>
    public const int MaxPayloadBytes = 7999;

    /// <summary>What a snapshot chunk aims at, leaving room for the envelope under <see cref="SignalSeal.MaxJsonBytes"/>
    /// (a sealed payload is base64, a third longer than its JSON).</summary>
    public const int SnapshotChunkBytes = 5000;

    public const int MaxUserIdLength = 256;
    public const int MaxInstanceLength = 64;
    private const int MaxFieldLength = 128;
    private const int Version = 1;
    private const long MaxUnixMilliseconds = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z, DateTimeOffset's limit

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string? User { get; init; }

    public bool? Online { get; init; }

    public IReadOnlyList<string>? Users { get; init; }

    public long SnapshotId { get; init; }

    public int Chunk { get; init; }

    public int Chunks { get; init; }

    /// <summary>A sync request for one instance only (null: everyone).</summary>
    public string? Target { get; init; }

    /// <summary>
    /// On a sync request: the sender's listener was down from this moment (UTC), so room events it sent or should
    /// have heard since may be lost; the receivers re-send their sockets the state of the calls that changed since.
    /// </summary>
    public DateTime? Since { get; init; }

    public RoomEvent? Event { get; init; }

    /// <summary>The room a <see cref="SignalKind.RoomAction"/> is for.</summary>
    public string? Room { get; init; }

    /// <summary>The <see cref="RoomAction"/> name.</summary>
    public string? Action { get; init; }

    /// <summary>A forwarded action's id, which its <see cref="SignalKind.ActionTaken"/> answer names.</summary>
    public string? Request { get; init; }

    /// <summary>When the sender published it (stamped by its publisher): receivers refuse what is too old or too far
    /// ahead, so a message captured off the channel cannot be played back later.</summary>
    public DateTimeOffset? SentAt { get; init; }

    public string Encode() => JsonSerializer.Serialize(ToWire(), Json);

    /// <summary>The payload's size on the wire (UTF-8 bytes).</summary>
    public static int Size(string payload) => Encoding.UTF8.GetByteCount(payload);

    /// <summary>
    /// Reads a payload from the channel. Anyone who can connect to the database can NOTIFY it: anything oversized,
    /// not JSON, of another version, or missing what its kind needs is refused with the reason, never thrown.
    /// </summary>
    public static SignalMessage? TryDecode(string? payload, out string? error)
    {
        if (string.IsNullOrEmpty(payload))
        {
            error = "empty payload";
            return null;
        }

        if (payload.Length > MaxPayloadBytes || Size(payload) > MaxPayloadBytes)
        {
            error = "payload over " + MaxPayloadBytes + " bytes";
            return null;
        }

        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize<Wire>(payload, Json);
        }
        catch (JsonException e)
        {
            error = "not a signal message: " + e.Message;
            return null;
        }

        if (wire is null)
        {
            error = "not a signal message";
            return null;
        }

        return FromWire(wire, out error);
    }

    /// <summary>
    /// The sender's users as snapshot chunks, each under <see cref="SnapshotChunkBytes"/> (plus its envelope), all
    /// carrying the same <paramref name="snapshotId"/> and the chunk count, so a receiver knows when it has them all.
    /// </summary>
    public static IReadOnlyList<SignalMessage> SnapshotChunksOf(
        string instance, string incarnation, Func<long> nextSequence, long snapshotId, IEnumerable<string> users)
    {
        ArgumentNullException.ThrowIfNull(nextSequence);
        ArgumentNullException.ThrowIfNull(users);
        var groups = new List<List<string>> { new() };
        var size = 0;
        foreach (var user in users)
        {
            if (!ValidUser(user))
            {
                continue;
            }

            var bytes = JsonEncodedText.Encode(user).EncodedUtf8Bytes.Length + 3;
            if (size + bytes > SnapshotChunkBytes && groups[^1].Count > 0)
            {
                groups.Add([]);
                size = 0;
            }

            groups[^1].Add(user);
            size += bytes;
        }

        return [.. groups.Select((g, i) => new SignalMessage(SignalKind.Snapshot, instance, incarnation, nextSequence())
        {
            SnapshotId = snapshotId,
            Chunk = i,
            Chunks = groups.Count,
            Users = g,
        })];
    }

    public static bool ValidUser(string? user) => !string.IsNullOrEmpty(user) && user.Length <= MaxUserIdLength;

    private static bool ValidName(string? value, int max) => !string.IsNullOrEmpty(value) && value.Length <= max;

    private Wire ToWire() => new()
    {
        V = Version,
        K = KindName(Kind),
        I = Instance,
        N = Incarnation,
        Q = Sequence,
        U = User,
        O = Online,
        Us = Users,
        Sid = Kind == SignalKind.Snapshot ? SnapshotId : null,
        C = Kind == SignalKind.Snapshot ? Chunk : null,
        T = Kind == SignalKind.Snapshot ? Chunks : null,
        To = Target,
        Sn = Since is { } since ? new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).ToUnixTimeMilliseconds() : null,
        E = Event,
        R = Room,
        A = Action,
        Rq = Request,
        W = SentAt?.ToUnixTimeMilliseconds(),
    };

    private static SignalMessage? FromWire(Wire w, out string? error)
    {
        error = null;
        if (w.V != Version)
        {
            error = "unknown version " + w.V;
            return null;
        }

        if (!ValidName(w.I, MaxInstanceLength) || !ValidName(w.N, MaxInstanceLength))
        {
            error = "no valid instance and incarnation";
            return null;
        }

        SignalKind? kind = w.K switch
        {
            "hb" => SignalKind.Heartbeat,
            "p" => SignalKind.Presence,
            "s" => SignalKind.Snapshot,
            "sync" => SignalKind.SyncRequest,
            "bye" => SignalKind.Goodbye,
            "e" => SignalKind.RoomEvent,
            "a" => SignalKind.RoomAction,
            "ok" => SignalKind.ActionTaken,
            _ => null,
        };
        var message = kind is { } k ? new SignalMessage(k, w.I!, w.N!, w.Q) : null;
        error = message switch
        {
            null => "unknown kind " + w.K,
            { Kind: SignalKind.Presence } when !ValidUser(w.U) || w.O is null => "presence without a valid user and state",
            { Kind: SignalKind.Snapshot } when w.Us is null || !w.Us.All(ValidUser) => "snapshot without a valid user list",
            { Kind: SignalKind.Snapshot } when w.Sid is null or < 0 || w.T is null or < 1 or > 100_000 || w.C is null || w.C < 0 || w.C >= w.T =>
                "snapshot without a valid id and chunk",
            { Kind: SignalKind.SyncRequest } when w.To is not null && !ValidName(w.To, MaxInstanceLength) => "sync request with an invalid target",
            _ when w.W is <= 0 or > MaxUnixMilliseconds => "invalid sending time",
            { Kind: SignalKind.SyncRequest } when w.Sn is <= 0 or > MaxUnixMilliseconds => "sync request with an invalid since",
            { Kind: SignalKind.RoomEvent } when !ValidUser(w.U) || !ValidEvent(w.E) => "room event without a valid user and event",
            { Kind: SignalKind.RoomAction } when !RoomRequestValidation.IsRoomId(w.R) || !RoomAction.IsKnown(w.A) ||
                (w.Rq is not null && !ValidName(w.Rq, MaxInstanceLength)) => "room action without a valid room and action",
            { Kind: SignalKind.ActionTaken } when !ValidName(w.To, MaxInstanceLength) || !ValidName(w.Rq, MaxInstanceLength) =>
                "action answer without a valid target and request",
            _ => null,
        };
        if (error is not null)
        {
            return null;
        }

        return message! with
        {
            User = w.U,
            Online = w.O,
            Users = w.Us,
            SnapshotId = w.Sid ?? 0,
            Chunk = w.C ?? 0,
            Chunks = w.T ?? 0,
            Target = w.To,
            Since = w.Sn is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : null,
            Event = w.E,
            Room = w.R,
            Action = w.A,
            SentAt = w.W is { } sent ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null,
            Request = w.Rq,
        };
    }

    private static bool ValidEvent(RoomEvent? e) =>
        e is not null && ValidName(e.Type, MaxFieldLength) && ValidName(e.RoomId, MaxFieldLength) &&
        ValidName(e.Status, MaxFieldLength) && e.CallId != Guid.Empty &&
        (e.From is null || e.From.Length <= MaxUserIdLength) && (e.Media is null || e.Media.Length <= MaxFieldLength);

    private static string KindName(SignalKind kind) => kind switch
    {
        SignalKind.Heartbeat => "hb",
        SignalKind.Presence => "p",
        SignalKind.Snapshot => "s",
        SignalKind.SyncRequest => "sync",
        SignalKind.Goodbye => "bye",
        SignalKind.RoomEvent => "e",
        SignalKind.RoomAction => "a",
        SignalKind.ActionTaken => "ok",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The JSON shape: short names, as every event to a remote socket pays for them.</summary>
    private sealed class Wire
    {
        public int V { get; set; }

        public string? K { get; set; }

        public string? I { get; set; }

        public string? N { get; set; }

        public long Q { get; set; }

        public string? U { get; set; }

        public bool? O { get; set; }

        public IReadOnlyList<string>? Us { get; set; }

        public long? Sid { get; set; }

        public int? C { get; set; }

        public int? T { get; set; }

        public string? To { get; set; }

        /// <summary><see cref="Since"/>, in Unix milliseconds.</summary>
        public long? Sn { get; set; }

        /// <summary><see cref="SentAt"/>, in Unix milliseconds.</summary>
        public long? W { get; set; }

        public RoomEvent? E { get; set; }

        public string? R { get; set; }

        public string? A { get; set; }

        public string? Rq { get; set; }
    }
}
