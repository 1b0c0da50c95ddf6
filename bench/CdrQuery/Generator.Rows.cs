using System.Globalization;
using NpgsqlTypes;
using Npgsql;

namespace CallControl.Bench.CdrQuery;

// The synthetic population. Rooms and users are pure functions of their index (no lookup table needed while
// generating calls); calls draw their outcome from fixed shares that resemble a consumer calling service.
internal sealed partial class Generator
{
    private const string CallCopy = """
        COPY calls (id, room_id, caller, callee, callee_number, media, status, answered_via, fallback_reason, created_at,
                    ringing_at, answered_at, ended_at, duration, billsec, hangup_cause, sip_code, hangup_disposition,
                    hung_up_by, freeswitch_node, recording_id, pstn_dialed_at) FROM STDIN (FORMAT BINARY)
        """;

    private const string LegCopy = """
        COPY call_legs (leg_uuid, call_id, role, channel_name, direction, start_at, answer_at, end_at, duration, billsec,
                        hangup_cause, sip_term_status, read_codec, write_codec, source, freeswitch_node, created_at, updated_at)
        FROM STDIN (FORMAT BINARY)
        """;

    // Country prefixes of callee numbers and their shares (cumulative); the bench filters on "+49".
    private static readonly (string Prefix, double Upto)[] Countries = [("+49", 0.40), ("+1", 0.60), ("+33", 0.75), ("+44", 0.90), ("+39", 1.0)];
    private static readonly (string Node, double Upto)[] Nodes = [("fs-1", 0.40), ("fs-2", 0.70), ("fs-3", 0.90), ("fs-4", 1.0)];

    internal readonly record struct RoomInfo(string Id, int Caller, int? Callee, string? Number, bool Video);

    internal sealed record Call(
        Guid Id, RoomInfo Room, string Status, string? AnsweredVia, string? FallbackReason, DateTime CreatedAt,
        DateTime? RingingAt, DateTime? AnsweredAt, DateTime EndedAt, DateTime? PstnDialedAt, DateTime? AppEndedAt,
        string HangupCause, int SipCode, string Disposition, string HungUpBy, string Node, bool Recorded);

    internal static string UserId(int u) => string.Create(Inv, $"u{u:D5}");

    // Six users in ten registered a phone number (the fallback target).
    private static string? UserPhone(int u) => u % 10 < 6 ? Number(u * 7919L + 17) : null;

    private static string Number(long seed)
    {
        var h = Mix(seed);
        var share = (h & 0xFFFF) / 65536.0;
        var prefix = Countries.First(c => share < c.Upto).Prefix;
        return string.Create(Inv, $"{prefix}{2 + (int)((h >> 16) % 8)}{(h >> 20) % 1_000_000_000:D9}");
    }

    private static ulong Mix(long seed)
    {
        var z = (ulong)seed + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// Room r: its caller is skewed (u = Users * x², x uniform), so a few heavy callers own deep histories; two rooms
    /// in ten dial a number directly, the rest call a user, with that user's phone number as the fallback when set.
    /// </summary>
    internal static RoomInfo Room(long r)
    {
        var h = Mix(r);
        var x = (h & 0xFFFFFF) / (double)0x1000000;
        var caller = (int)(Users * x * x);
        var video = (h >> 24) % 10 < 3;
        var id = string.Create(Inv, $"room-{r:x8}");
        if ((h >> 32) % 10 < 2)
        {
            return new RoomInfo(id, caller, null, Number(r * 31 + 7), video);
        }

        var callee = (int)((h >> 36) % Users);
        return new RoomInfo(id, caller, callee, UserPhone(callee), video);
    }

    private static T Pick<T>(Random random, (T Value, double Upto)[] shares)
    {
        var x = random.NextDouble();
        return shares.First(s => x < s.Upto).Value;
    }
}
