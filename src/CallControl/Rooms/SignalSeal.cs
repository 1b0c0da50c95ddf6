using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CallControl.Rooms;

/// <summary>
/// Seals signal bus payloads so that only the service's instances can speak on the channel. PostgreSQL has no
/// permissions on NOTIFY: any role that can connect to the database (a read-only analytics role included) can NOTIFY
/// any channel. Unsealed, a crafted room action would end a stranger's call, a crafted presence would send calls to a
/// callee's phone, and a crafted room event would show a fake incoming call in someone's app.
/// <para>
/// A payload is <c>&lt;tag&gt;.&lt;json&gt;</c>: the tag is the first 128 bits of HMAC-SHA256 over the JSON's UTF-8
/// bytes, base64url (22 characters), under a key derived from <c>Auth:SigningKey</c>, which every instance of one
/// deployment already shares (a token minted by one is checked by the others), with a label of its own so a tag is
/// never a token signature. Freshness and replays are the bus's to check (<see cref="SignalMessage.SentAt"/> and the
/// sender's sequence); the JSON itself is not hidden: anyone who can LISTEN still reads it.
/// </para>
/// </summary>
internal sealed class SignalSeal
{
    /// <summary>Characters a seal adds to the JSON: the tag and the dot.</summary>
    public const int Overhead = TagChars + 1;

    private const int TagBytes = 16;
    private const int TagChars = 22;

    private static readonly byte[] Label = "callcontrol signal bus seal v1"u8.ToArray();

    private readonly byte[] _key;

    /// <summary>A seal keyed from the deployment's signing key (its UTF-8 bytes).</summary>
    public SignalSeal(byte[] signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        _key = HMACSHA256.HashData(signingKey, Label);
    }

    /// <summary>As <see cref="SignalSeal(byte[])"/>, from the key as configured (text).</summary>
    public static SignalSeal FromSigningKey(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey ?? ""));

    /// <summary>The payload for <paramref name="json"/>.</summary>
    public string Seal(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Tag(Encoding.UTF8.GetBytes(json)) + "." + json;
    }

    /// <summary>The JSON of a payload sealed with this key; null, with why, for anything else.</summary>
    public string? Open(string? payload, out string? error)
    {
        if (payload is null || payload.Length < Overhead || payload[TagChars] != '.')
        {
            error = "not sealed";
            return null;
        }

        var json = payload[Overhead..];
        Span<byte> given = stackalloc byte[TagBytes];
        if (!Base64Url.IsValid(payload.AsSpan(0, TagChars))
            || Base64Url.DecodeFromChars(payload.AsSpan(0, TagChars), given) != TagBytes)
        {
            error = "not sealed";
            return null;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(json), expected);
        if (!CryptographicOperations.FixedTimeEquals(given, expected[..TagBytes]))
        {
            error = "seal does not match (not from an instance of this deployment, or altered)";
            return null;
        }

        error = null;
        return json;
    }

    private string Tag(byte[] json)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, json, mac);
        return Base64Url.EncodeToString(mac[..TagBytes]);
    }
}
