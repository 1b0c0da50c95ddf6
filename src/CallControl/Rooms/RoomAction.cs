using CallControl.Calls;

namespace CallControl.Rooms;

/// <summary>
/// A party's action on a room's call (join, busy, refuse, cancel) by its wire name, so an instance that does not steer
/// the call can hand it to the one that does over the signal bus.
/// </summary>
public static class RoomAction
{
    public const string Join = "join";
    public const string Busy = "busy";
    public const string Refuse = "refuse";
    public const string Cancel = "cancel";

    public static bool IsKnown(string? action) => action is Join or Busy or Refuse or Cancel;

    /// <summary>The call machine's input for <paramref name="action"/> at <paramref name="at"/>.</summary>
    public static CallInput ToInput(string action, DateTimeOffset at) => action switch
    {
        Join => new CalleeJoined(at),
        Busy => new CalleeBusy(at),
        Refuse => new CalleeRefused(at),
        Cancel => new CallerCanceled(at),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Not a room action."),
    };
}
