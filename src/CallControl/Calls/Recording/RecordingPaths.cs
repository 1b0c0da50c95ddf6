using CallControl.Rooms;

namespace CallControl.Calls.Recording;

/// <summary>
/// Where a call's recording goes: <c>&lt;room&gt;/&lt;call&gt;.wav</c> under the node's recordings folder (a second
/// recording of the same call <c>&lt;call&gt;-2.wav</c>, and so on). Every part is checked here, never taken from a
/// client: the room id is 16 hex digits, the call id a UUID, the folder a configured plain absolute path. The result
/// goes into a <c>uuid_record</c> command, where a space would end the argument.
/// </summary>
public static class RecordingPaths
{
    /// <summary>The file for recording number <paramref name="sequence"/> (from 1) of a call.</summary>
    public static RecordingPath For(string nodeFolder, string roomId, Guid callId, int sequence)
    {
        if (!IsValidFolder(nodeFolder))
        {
            throw new ArgumentException("The node's recordings folder is not a plain absolute path.", nameof(nodeFolder));
        }

        if (!RoomRequestValidation.IsRoomId(roomId))
        {
            throw new ArgumentException("Not a room id.", nameof(roomId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        var file = sequence == 1 ? $"{callId:D}.wav" : $"{callId:D}-{sequence}.wav";
        var relative = $"{roomId}/{file}";
        return new RecordingPath($"{nodeFolder.TrimEnd('/')}/{relative}", relative);
    }

    /// <summary>An absolute path of letters, digits, '/', '-', '_' and '.', with no '..' segment.</summary>
    public static bool IsValidFolder(string? folder) =>
        folder is { Length: > 1 and <= 200 } && folder[0] == '/'
        && folder.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.')
        && !folder.Split('/').Contains("..");
}

/// <summary>A recording's file as FreeSWITCH writes it (<see cref="NodePath"/>) and relative to the recordings folder
/// (<see cref="RelativePath"/>, which the archive job resolves under the service's view of the same folder).</summary>
public sealed record RecordingPath(string NodePath, string RelativePath);
