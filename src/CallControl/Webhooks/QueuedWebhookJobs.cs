using System.Threading.Channels;

namespace CallControl.Webhooks;

/// <summary>
/// Hands delivery jobs to <paramref name="inner"/> (Hangfire) from a background loop, so whoever records an event does
/// not wait for the enqueue: Hangfire's client is synchronous and writes the job in several statements, and the call
/// status observer runs under the call's gate. The event row is already committed when its id is queued here; a job
/// lost in between (a crash, a full queue) is enqueued again by the <see cref="WebhookDispatcher"/> after
/// <see cref="WebhookOptions.LostJobAfter"/>, as any lost job is. Stopping hands over what is still queued.
/// </summary>
public sealed class QueuedWebhookJobs(IWebhookJobs inner, ILogger<QueuedWebhookJobs> logger) : IWebhookJobs, IHostedService
{
    /// <summary>Ids waiting for the loop at most; beyond that an id is left to the dispatcher's sweep.</summary>
    public const int Capacity = 10_000;

    private readonly Channel<Guid> _queue = Channel.CreateBounded<Guid>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private Task _loop = Task.CompletedTask;
    private int _fullLogged;

    /// <summary>Queues the job and returns at once.</summary>
    public void Enqueue(Guid eventId)
    {
        if (_queue.Writer.TryWrite(eventId))
        {
            Interlocked.Exchange(ref _fullLogged, 0);
        }
        else if (Interlocked.Exchange(ref _fullLogged, 1) == 0)
        {
            WebhooksLog.EnqueueQueueFull(logger, Capacity);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task LoopAsync()
    {
        await foreach (var eventId in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                inner.Enqueue(eventId);
            }
#pragma warning disable CA1031 // The event is recorded; the dispatcher's sweep enqueues it again, so the loop goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                WebhooksLog.EnqueueFailed(logger, eventId, e);
            }
        }
    }
}
