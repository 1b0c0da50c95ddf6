using NpgsqlTypes;
using Npgsql;

namespace CallControl.Bench.CdrQuery;

// One call and its legs: outcome, times and hangup cause drawn together so that they agree (a busy call has
// USER_BUSY/486 and no answer time, an answered call has billsec, a fallback call has a carrier leg).
internal sealed partial class Generator
{
    private static readonly (string Status, double Upto)[] AppOutcomes =
        [("completed", 0.65), ("busy", 0.73), ("refused", 0.79), ("no_answer", 0.89), ("offline", 0.95), ("canceled", 0.99), ("failed", 1.0)];

    private static readonly (string Status, double Upto)[] PstnOutcomes =
        [("completed", 0.65), ("busy", 0.77), ("no_answer", 0.90), ("failed", 0.95), ("canceled", 1.0)];

    private static (string Cause, int Sip, string Disposition, string HungUpBy) Ending(string status, Random random) => status switch
    {
        "completed" => ("NORMAL_CLEARING", 200, random.Next(2) == 0 ? "recv_bye" : "send_bye", random.Next(2) == 0 ? "caller" : "callee"),
        "busy" => ("USER_BUSY", 486, "recv_refuse", "callee"),
        "refused" => ("CALL_REJECTED", 603, "recv_refuse", "callee"),
        "no_answer" => ("NO_ANSWER", 480, "send_cancel", "network"),
        "offline" => ("USER_NOT_REGISTERED", 404, "send_refuse", "network"),
        "canceled" => ("ORIGINATOR_CANCEL", 487, "recv_cancel", "caller"),
        _ => ("NORMAL_TEMPORARY_FAILURE", 503, "recv_refuse", "network"),
    };

    private Call NextCall(Random random, DateTime createdAt)
    {
        var room = Room(random.NextInt64(Rooms));
        var id = RandomUuid(random);
        var node = Pick(random, Nodes);
        var ringing = createdAt.AddMilliseconds(200 + random.Next(1300));
        DateTime? pstnDialed = null;
        DateTime? appEnded = null;
        string? reason = null;
        string status;
        var via = "app";
        if (room.Callee is null)
        {
            // A room that dials a number: the carrier leg is the only callee leg.
            pstnDialed = createdAt;
            status = Pick(random, PstnOutcomes);
            via = "pstn";
        }
        else
        {
            status = Pick(random, AppOutcomes);
            // Busy, refused, unanswered or offline callees fall back to their phone number four times in five.
            if (status is "busy" or "refused" or "no_answer" or "offline" && room.Number is not null && random.Next(5) != 0)
            {
                reason = status;
                appEnded = ringing.AddSeconds(status == "no_answer" ? 30 : 1 + random.Next(8));
                pstnDialed = appEnded;
                status = Pick(random, PstnOutcomes);
                via = "pstn";
            }
        }

        var rangFrom = pstnDialed ?? ringing;
        DateTime? answered = null;
        DateTime ended;
        if (status == "completed")
        {
            answered = rangFrom.AddMilliseconds(2_000 + random.Next(20_000));
            // Talk time: exponential with a 150 s mean, capped at two hours.
            ended = answered.Value.AddSeconds(Math.Min(7200, -150 * Math.Log(1 - random.NextDouble())));
        }
        else
        {
            ended = rangFrom.AddSeconds(status switch { "no_answer" => 30, "offline" => 0.5, "canceled" => 3 + random.Next(20), _ => 1 + random.Next(9) });
        }

        var (cause, sip, disposition, hungUpBy) = Ending(status, random);
        return new Call(id, room, status, answered is null ? null : via, reason, createdAt, ringing, answered, ended, pstnDialed, appEnded,
            cause, sip, disposition, hungUpBy, node, answered is not null && random.Next(10) == 0);
    }

    private static void WriteCall(NpgsqlBinaryImporter w, Call c)
    {
        w.StartRow();
        w.Write(c.Id, NpgsqlDbType.Uuid);
        w.Write(c.Room.Id, NpgsqlDbType.Text);
        w.Write(UserId(c.Room.Caller), NpgsqlDbType.Text);
        WriteText(w, c.Room.Callee is { } callee ? UserId(callee) : null);
        WriteText(w, c.PstnDialedAt is null ? null : c.Room.Number);
        w.Write(c.Room.Video ? "video" : "audio", NpgsqlDbType.Text);
        w.Write(c.Status, NpgsqlDbType.Text);
        WriteText(w, c.AnsweredVia);
        WriteText(w, c.FallbackReason);
        w.Write(c.CreatedAt, NpgsqlDbType.TimestampTz);
        WriteTime(w, c.RingingAt);
        WriteTime(w, c.AnsweredAt);
        w.Write(c.EndedAt, NpgsqlDbType.TimestampTz);
        w.Write(Seconds(c.EndedAt - c.CreatedAt), NpgsqlDbType.Integer);
        w.Write(c.AnsweredAt is { } a ? Seconds(c.EndedAt - a) : 0, NpgsqlDbType.Integer);
        w.Write(c.HangupCause, NpgsqlDbType.Text);
        w.Write(c.SipCode, NpgsqlDbType.Integer);
        w.Write(c.Disposition, NpgsqlDbType.Text);
        w.Write(c.HungUpBy, NpgsqlDbType.Text);
        w.Write(c.Node, NpgsqlDbType.Text);
        WriteText(w, c.Recorded ? "rec-" + c.Id.ToString("N") : null);
        WriteTime(w, c.PstnDialedAt);
    }

    /// <summary>The caller's verto leg; the callee's verto leg unless offline; the carrier leg when one was dialed.</summary>
    private static int WriteLegs(NpgsqlBinaryImporter w, Random random, Call c)
    {
        var byApp = c.AnsweredVia == "app";
        WriteLeg(w, random, c, "caller", $"verto.rtc/{UserId(c.Room.Caller)}", "inbound", c.CreatedAt, c.AnsweredAt, c.EndedAt, c.HangupCause, null, "opus");
        var count = 1;
        if (c.Room.Callee is { } callee && (c.FallbackReason ?? c.Status) != "offline")
        {
            var appEnd = c.AppEndedAt ?? c.EndedAt;
            var cause = byApp || c.FallbackReason is null ? c.HangupCause : Ending(c.FallbackReason, random).Cause;
            WriteLeg(w, random, c, "callee", $"verto.rtc/{UserId(callee)}", "inbound", c.RingingAt!.Value, byApp ? c.AnsweredAt : null, appEnd, cause, null, "opus");
            count++;
        }

        if (c.PstnDialedAt is { } dialed)
        {
            WriteLeg(w, random, c, "pstn", $"sofia/gateway/carrier/{c.Room.Number}", "outbound", dialed, byApp ? null : c.AnsweredAt, c.EndedAt,
                c.HangupCause, c.SipCode.ToString(Inv), "PCMA");
            count++;
        }

        return count;
    }

    private static void WriteLeg(NpgsqlBinaryImporter w, Random random, Call c, string role, string channel, string direction, DateTime startAt, DateTime? answerAt,
        DateTime endAt, string cause, string? sipStatus, string codec)
    {
        w.StartRow();
        w.Write(RandomUuid(random), NpgsqlDbType.Uuid);
        w.Write(c.Id, NpgsqlDbType.Uuid);
        w.Write(role, NpgsqlDbType.Text);
        w.Write(channel, NpgsqlDbType.Text);
        w.Write(direction, NpgsqlDbType.Text);
        w.Write(startAt, NpgsqlDbType.TimestampTz);
        WriteTime(w, answerAt);
        w.Write(endAt, NpgsqlDbType.TimestampTz);
        w.Write(Seconds(endAt - startAt), NpgsqlDbType.Integer);
        w.Write(answerAt is { } a ? Seconds(endAt - a) : 0, NpgsqlDbType.Integer);
        w.Write(cause, NpgsqlDbType.Text);
        WriteText(w, sipStatus);
        w.Write(codec, NpgsqlDbType.Text);
        w.Write(codec, NpgsqlDbType.Text);
        w.Write("both", NpgsqlDbType.Text);
        w.Write(c.Node, NpgsqlDbType.Text);
        w.Write(endAt, NpgsqlDbType.TimestampTz);
        w.Write(endAt, NpgsqlDbType.TimestampTz);
    }

    // Random version-4 UUIDs, as the service (Guid.NewGuid) and FreeSWITCH give calls and legs: no time order in the key.
    private static Guid RandomUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static int Seconds(TimeSpan span) => (int)Math.Round(span.TotalSeconds);

    private static void WriteTime(NpgsqlBinaryImporter w, DateTime? value)
    {
        if (value is { } v)
        {
            w.Write(v, NpgsqlDbType.TimestampTz);
        }
        else
        {
            w.WriteNull();
        }
    }
}
