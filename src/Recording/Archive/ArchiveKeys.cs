using System.Buffers;

namespace CallControl.Recording.Archive;

/// <summary>
/// Archive keys: relative names made of segments of letters, digits, '.', '_' and '-' joined by '/', never '.' or
/// '..'. The archive job derives them from ids (<c>room/call/recording.ogg</c>), so a re-run writes the same key.
/// </summary>
public static class ArchiveKeys
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    /// <summary>The key of recording <paramref name="recordingId"/>'s archived Ogg/Opus file.</summary>
    public static string ForRecording(string roomId, Guid callId, Guid recordingId)
    {
        var key = $"{roomId}/{callId:D}/{recordingId:D}.ogg";
        Validate(key);
        return key;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="key"/> is a well-formed key.</summary>
    public static void Validate(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or ".." || segment.AsSpan().ContainsAnyExcept(Allowed))
            {
                throw new ArgumentException($"'{key}' is not a valid archive key (segments of [A-Za-z0-9._-], no '.' or '..').", nameof(key));
            }
        }
    }
}
