using CallControl.Data;
using CallControl.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Tests.Webhooks;

/// <summary>The call store's hook: observers hear each committed status change, with the room and the predecessor, and nothing else.</summary>
[Collection(DatabaseGroup.Name)]
public sealed class CallStoreObserverTests(DatabaseFixture db)
{
    [Fact]
    public async Task Observers_hear_creation_and_each_applied_transition_but_not_a_version_conflict()
    {
        var heard = new HeardChanges();
        var store = new CallStore(db.DataSource, [heard, new ThrowingObserver()], NullLogger<CallStore>.Instance);
        var template = await db.NewCallAsync();
        var call = await store.CreateAsync(template with { Id = Guid.NewGuid() }, "created");

        Assert.Equal(TransitionOutcome.Applied, await store.TransitionAsync(call.Id, 1, new CallChange
        {
            ToStatus = CallStatuses.Answered, Reason = "bridged", At = DateTime.UtcNow, AnsweredVia = "app",
        }));
        Assert.Equal(TransitionOutcome.VersionConflict, await store.TransitionAsync(call.Id, 1, new CallChange
        {
            ToStatus = CallStatuses.Failed, At = DateTime.UtcNow,
        }));

        Assert.Equal(
            [(call.Id, template.RoomId, (string?)null, "ringing"), (call.Id, template.RoomId, "ringing", "answered")],
            heard.Changes.Select(c => (c.CallId, c.RoomId, c.From, c.To)));
        Assert.Equal("app", heard.Changes[1].Facts.AnsweredVia);
        // A throwing observer does not undo or hide the committed change.
        Assert.Equal("answered", (await store.GetAsync(call.Id))!.Status);
    }

    private sealed class HeardChanges : ICallStatusObserver
    {
        public List<CallStatusChange> Changes { get; } = [];

        public Task OnCommittedAsync(CallStatusChange change, CancellationToken cancellationToken)
        {
            Changes.Add(change);
            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingObserver : ICallStatusObserver
    {
        public Task OnCommittedAsync(CallStatusChange change, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("observer down");
    }
}
