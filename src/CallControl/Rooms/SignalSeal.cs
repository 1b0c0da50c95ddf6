using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CallControl.Rooms;

/// <summary>
/// Seals signal bus payloads so that only the service's instances can speak on the channel, and only they can read
/// it. PostgreSQL has no permissions on LISTEN and NOTIFY: any role that can connect to the database (a read-only
/// analytics role included) can listen to any channel and notify it. Unsealed, a crafted room action would end a
/// stranger's call, a crafted presence would send calls to a callee's phone, and a crafted room event would show a
/// fake incoming call in someone's app; and every listener would learn who is online and who calls whom.
/// <para>
/// A payload is <c>s2.</c> followed by base64url of a 12-byte random nonce, the JSON's UTF-8 bytes encrypted with
/// AES-256-GCM, and GCM's 16-byte tag. The key is derived from <c>Auth:SigningKey</c>, which every instance of one
/// deployment already shares (a token minted by one is checked by the others), with a label of its own, so it is
/// never the key that signs tokens. Freshness and replays are the bus's to check (<see cref="SignalMessage.SentAt"/>
/// and the sender's sequence). What a listener without the key still sees: that the bus is busy, and how long each
/// message is.
/// </para>
/// </summary>
internal sealed class SignalSeal
{
    /// <summary>The longest JSON (in UTF-8 bytes) whose sealed payload fits in one NOTIFY.</summary>
    public const int MaxJsonBytes = (SignalMessage.MaxPayloadBytes - PrefixLength) / 4 * 3 - NonceBytes - TagBytes;

    private const string Prefix = "s2.";
    private const int PrefixLength = 3;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private static readonly byte[] Label = "callcontrol signal bus seal v2 (aes-256-gcm)"u8.ToArray();

    private readonly byte[] _key;

    /// <summary>A seal keyed from the deployment's signing key (its UTF-8 bytes).</summary>
    public SignalSeal(byte[] signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        _key = HMACSHA256.HashData(signingKey, Label);
    }

    /// <summary>As <see cref="SignalSeal(byte[])"/>, from the key as configured (text).</summary>
    public static SignalSeal FromSigningKey(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey ?? ""));

    /// <summary>The payload's length for a JSON of <paramref name="jsonBytes"/> UTF-8 bytes.</summary>
    public static int SealedLength(int jsonBytes) => PrefixLength + Base64Url.GetEncodedLength(NonceBytes + jsonBytes + TagBytes);

    /// <summary>The payload for <paramref name="json"/>.</summary>
    public string Seal(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var plain = Encoding.UTF8.GetBytes(json);
        var box = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = box.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        // One AesGcm per message (its key schedule costs microseconds): it is not safe to share between threads.
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, box.AsSpan(NonceBytes, plain.Length), box.AsSpan(NonceBytes + plain.Length));

        return Prefix + Base64Url.EncodeToString(box);
    }

    /// <summary>The JSON of a payload sealed with this key; null, with why, for anything else.</summary>
    public string? Open(string? payload, out string? error)
    {
        if (payload is null || !payload.StartsWith(Prefix, StringComparison.Ordinal)
            || payload.Length > SignalMessage.MaxPayloadBytes
            || !Base64Url.IsValid(payload.AsSpan(PrefixLength), out var length)
            || length < NonceBytes + TagBytes)
        {
            error = "not sealed";
            return null;
        }

        var box = new byte[length];
        Base64Url.DecodeFromChars(payload.AsSpan(PrefixLength), box);
        var plain = new byte[length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(box.AsSpan(0, NonceBytes), box.AsSpan(NonceBytes, plain.Length), box.AsSpan(NonceBytes + plain.Length), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            error = "seal does not match (not from an instance of this deployment, or altered)";
            return null;
        }

        try
        {
            error = null;
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(plain);
        }
        catch (DecoderFallbackException)
        {
            // Only a holder of the key could have sealed it; still, nothing but text goes further.
            error = "sealed bytes are not UTF-8";
            return null;
        }
    }
}
