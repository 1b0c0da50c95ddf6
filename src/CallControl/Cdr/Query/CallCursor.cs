using System.Buffers.Binary;
using System.Buffers.Text;

namespace CallControl.Cdr.Query;

/// <summary>
/// The opaque keyset cursor: base64url of the last row's (created_at, id) and the fingerprint of the filters that
/// produced it. Paging by (created_at, id) rather than by offset keeps pages stable while calls arrive.
/// </summary>
public readonly record struct CallCursor(DateTime CreatedAt, Guid Id)
{
    private const int FingerprintBytes = 8;
    private const int Length = 8 + 16 + FingerprintBytes;

    public string Encode(CallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var bytes = new byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, CreatedAt.Ticks);
        Id.TryWriteBytes(bytes.AsSpan(8, 16));
        filter.Fingerprint().CopyTo(bytes.AsSpan(24));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Null when <paramref name="text"/> is not a cursor, or is one from a query with other filters.</summary>
    public static CallCursor? Decode(string text, CallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length != Length || !bytes.AsSpan(24).SequenceEqual(filter.Fingerprint()))
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        return new CallCursor(new DateTime(ticks, DateTimeKind.Utc), new Guid(bytes.AsSpan(8, 16)));
    }
}
