namespace CallControl.Calls.Router;

// Read-only lookups for the DTMF feature: the live call by id or by one of its legs. The session's State is an
// immutable record replaced whole after each input, so reading it outside the gate sees one consistent state.
public sealed partial class CallRouter
{
    /// <summary>The live (or recently ended, still remembered) call with this id, or null.</summary>
    public CallSession? FindCall(Guid callId) => _calls.TryGetValue(callId, out var session) ? session : null;

    /// <summary>The call that adopted the leg <paramref name="legUuid"/>, or null.</summary>
    public CallSession? FindByLeg(string legUuid) =>
        _byLeg.TryGetValue(legUuid, out var callId) && _calls.TryGetValue(callId, out var session) ? session : null;
}
