namespace CallControl.Data;

/// <summary>
/// Told about every call status change after its transaction committed (status webhooks listen here). The store
/// calls observers in commit order for one call, since one call's writes are serialized by the router; it calls them
/// with no cancellation (a committed change is told even if the request that caused it went away). An observer must
/// not throw: the change is already stored, and the store only logs an observer's failure.
/// </summary>
public interface ICallStatusObserver
{
    Task OnCommittedAsync(CallStatusChange change, CancellationToken cancellationToken);
}

/// <summary>
/// One committed status change: <see cref="From"/> is null for the call's creation. <see cref="Facts"/> are the facts
/// stored with it (null fields were not part of this change).
/// </summary>
public sealed record CallStatusChange(Guid CallId, string RoomId, string? From, CallChange Facts)
{
    public string To => Facts.ToStatus;
}
