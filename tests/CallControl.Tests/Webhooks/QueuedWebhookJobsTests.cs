using System.Collections.Concurrent;
using CallControl.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Tests.Webhooks;

/// <summary>Delivery jobs reach Hangfire from a background loop: whoever records an event never waits for the enqueue.</summary>
public sealed class QueuedWebhookJobsTests
{
    [Fact]
    public async Task Enqueue_returns_while_the_inner_enqueue_is_blocked_and_every_job_follows_in_order()
    {
        var inner = new BlockingJobs();
        var jobs = new QueuedWebhookJobs(inner, NullLogger<QueuedWebhookJobs>.Instance);
        await jobs.StartAsync(CancellationToken.None);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        // Hangfire is stuck (a slow database): the first job holds the loop, the callers do not wait.
        var enqueueing = Task.Run(() => ids.ForEach(jobs.Enqueue));
        Assert.True(await Task.WhenAny(enqueueing, Task.Delay(TimeSpan.FromSeconds(5))) == enqueueing, "Enqueue waited for Hangfire");
        Assert.True(inner.Started.Wait(TimeSpan.FromSeconds(5)));
        Assert.Empty(inner.Done);

        inner.Release.Set();
        await jobs.StopAsync(CancellationToken.None);

        Assert.Equal(ids, inner.Done);
    }

    [Fact]
    public async Task A_failing_inner_enqueue_is_logged_and_the_next_jobs_still_go()
    {
        var inner = new FailingOnceJobs();
        var jobs = new QueuedWebhookJobs(inner, NullLogger<QueuedWebhookJobs>.Instance);
        await jobs.StartAsync(CancellationToken.None);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        jobs.Enqueue(first);
        jobs.Enqueue(second);
        await jobs.StopAsync(CancellationToken.None);

        Assert.Equal([first, second], inner.Tried);
        Assert.Equal([second], inner.Done);
    }

    private sealed class BlockingJobs : IWebhookJobs
    {
        public ManualResetEventSlim Started { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public ConcurrentQueue<Guid> Done { get; } = new();

        public void Enqueue(Guid eventId)
        {
            Started.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
            Done.Enqueue(eventId);
        }
    }

    private sealed class FailingOnceJobs : IWebhookJobs
    {
        public ConcurrentQueue<Guid> Tried { get; } = new();

        public ConcurrentQueue<Guid> Done { get; } = new();

        public void Enqueue(Guid eventId)
        {
            Tried.Enqueue(eventId);
            if (Tried.Count == 1)
            {
                throw new InvalidOperationException("storage unreachable");
            }

            Done.Enqueue(eventId);
        }
    }
}
