using System.Text;
using System.Text.Json;
using CallControl.Data;

namespace CallControl.Cdr;

/// <summary>
/// mod_json_cdr's POST body to a leg row. FreeSWITCH posts <c>?uuid=&lt;leg&gt;</c> with
/// <c>Content-Type: application/x-www-form-urlencoded</c> although the body is the bare JSON document; with
/// <c>encode-values=true</c> every string value inside <c>variables</c> is percent-encoded (switch_url_encode, which
/// leaves an existing <c>%XX</c> alone, so decoding is lossy by FreeSWITCH's design). Some configurations post the
/// document as a form field instead (<c>cdr=&lt;percent-encoded JSON&gt;</c>): both are accepted.
/// </summary>
public static class JsonCdrMapper
{
    private static readonly byte[] FormPrefix = "cdr="u8.ToArray();

    /// <summary>Maps a body; the result carries the row, or why the body is not a CDR.</summary>
    public static JsonCdrResult Map(ReadOnlySpan<byte> body, string? uuidFromQuery)
    {
        string json;
        if (body.StartsWith(FormPrefix))
        {
            // A form field: '+' never stands for a space here (FreeSWITCH's encoder writes %20 and %2B).
            json = Uri.UnescapeDataString(Encoding.UTF8.GetString(body[FormPrefix.Length..]));
        }
        else
        {
            json = Encoding.UTF8.GetString(body);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return JsonCdrResult.Fail($"the body is not JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("variables", out var vars) || vars.ValueKind != JsonValueKind.Object)
            {
                return JsonCdrResult.Fail("the document has no 'variables' object");
            }

            var variables = Decode(vars);
            var uuidText = LegVariables.Get(variables, "uuid") ?? uuidFromQuery;
            if (!Guid.TryParse(uuidText, out var legUuid))
            {
                return JsonCdrResult.Fail("the CDR names no leg uuid");
            }

            if (uuidFromQuery is not null && (!Guid.TryParse(uuidFromQuery, out var q) || q != legUuid))
            {
                return JsonCdrResult.Fail($"?uuid={uuidFromQuery} does not match the CDR's uuid {legUuid}");
            }

            var leg = LegVariables.ToUpsert(legUuid, LegSource.JsonCdr, variables, node: null, jsonCdr: json);
            return new JsonCdrResult(leg, LegVariables.RoomId(variables), LegVariables.Get(variables, LegVariables.CallIdVariable), null);
        }
    }

    private static Dictionary<string, string> Decode(JsonElement variables)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in variables.EnumerateObject())
        {
            result[p.Name] = p.Value.ValueKind == JsonValueKind.String
                ? Uri.UnescapeDataString(p.Value.GetString()!)
                : p.Value.GetRawText();
        }

        return result;
    }
}

/// <summary>A mapped CDR (<see cref="Leg"/>, the room and our call id as text) or the reason it is not one.</summary>
public sealed record JsonCdrResult(LegUpsert? Leg, string? RoomId, string? CallIdText, string? Error)
{
    /// <summary>A body that is not a CDR.</summary>
    public static JsonCdrResult Fail(string error) => new(null, null, null, error);
}
