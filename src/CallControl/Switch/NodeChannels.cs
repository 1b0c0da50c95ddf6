using System.Text.Json;
using CallControl.Esl.Connection;

namespace CallControl.Switch;

/// <summary>One live channel on a node as reconcile sees it: <c>show channels as json</c> for the list, then
/// <c>uuid_dump &lt;uuid&gt; json</c> for its answer state, the variables the router tags legs with, and the verto login
/// that placed it (from the caller profile, see <see cref="VertoLegIdentity"/>).</summary>
public sealed record LiveLeg(
    string Uuid,
    string? AnswerState,
    string? CallId,
    string? RoomId,
    string? Role,
    string? DialplanRoomId,
    string? Login)
{
    /// <summary>Answered (FreeSWITCH's Answer-State <c>answered</c>).</summary>
    public bool Answered => string.Equals(AnswerState, "answered", StringComparison.OrdinalIgnoreCase);

    /// <summary>Early media (Answer-State <c>early</c>).</summary>
    public bool Early => string.Equals(AnswerState, "early", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Reads a node's live channels for reconcile (after a takeover or a reconnect).</summary>
public static class NodeChannels
{
    /// <summary>
    /// Every live channel of the node by UUID. A channel that ends between the list and its dump is left out (it is
    /// gone). Throws <see cref="EslConnectionException"/> when the connection fails meanwhile: reconcile again later.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, LiveLeg>> ReadAsync(NodeCommands commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var list = await commands.ShowChannelsAsync(cancellationToken).ConfigureAwait(false);
        var legs = new Dictionary<string, LiveLeg>(StringComparer.OrdinalIgnoreCase);
        foreach (var uuid in ParseUuids(list.Text))
        {
            var dump = await commands.UuidDumpAsync(uuid, cancellationToken).ConfigureAwait(false);
            if (dump.Ok && ParseDump(uuid, dump.Text) is { } leg)
            {
                legs[uuid] = leg;
            }
        }

        return legs;
    }

    /// <summary>The <c>uuid</c> of each row of <c>show channels as json</c> (<c>{"row_count":N,"rows":[...]}</c>;
    /// <c>{"row_count": 0}</c> without rows).</summary>
    public static IReadOnlyList<string> ParseUuids(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return [.. rows.EnumerateArray()
                .Select(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("uuid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null)
                .Where(u => u is not null && Guid.TryParseExact(u, "D", out _))
                .Select(u => u!)];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The leg from a <c>uuid_dump json</c> reply (one flat object of headers and <c>variable_*</c>), or null
    /// when the reply is not that channel's dump.</summary>
    public static LiveLeg? ParseDump(string uuid, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? Get(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString() is { Length: > 0 } s ? s : null
                : null;
            // A dump of another channel (or of none) is not this leg.
            if (!string.Equals(Get("Unique-ID"), uuid, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return new LiveLeg(
                uuid,
                Get("Answer-State"),
                Get("variable_x_call_id"),
                Get("variable_x_room_id"),
                Get("variable_x_leg_role"),
                Get("variable_room_id"),
                VertoLegIdentity.Login(Get("Caller-Username"), Get("Caller-Source")));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
