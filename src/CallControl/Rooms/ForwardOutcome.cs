namespace CallControl.Rooms;

/// <summary>What became of an action handed to another instance.</summary>
public enum ForwardOutcome
{
    /// <summary>No live peer to hand it to.</summary>
    NoPeer,

    /// <summary>The instance steering the call said its router holds the call and queued the action.</summary>
    Taken,

    /// <summary>Sent, but no instance confirmed it in time: it may be lost, or no instance steers the call.</summary>
    Unconfirmed,
}
