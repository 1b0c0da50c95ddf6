using CallControl.Esl.Commands;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Connection;

/// <summary>Typed commands.</summary>
public sealed partial class EslConnection
{
    /// <summary>
    /// Sends a command and returns FreeSWITCH's answer: the Reply-Text of a command/reply or the body of an
    /// api/response. A "-ERR" answer is a result with <see cref="EslResult.Ok"/> false, not an exception. Accepted
    /// subscription commands are recorded in <see cref="Subscriptions"/>.
    /// </summary>
    public async Task<EslResult> SendCommandAsync(EslCommand command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var frame = await SendAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        var result = new EslResult(frame.Kind == EslFrameKind.ApiResponse ? frame.BodyText : frame.ReplyText ?? string.Empty);
        if (result.Ok)
        {
            Subscriptions.Record(command);
        }

        return result;
    }

    /// <summary>
    /// <c>api</c>: runs a FreeSWITCH API command and returns its output. FreeSWITCH runs it in this socket's listener
    /// thread, so no event is delivered on this socket until it returns: use <see cref="BgApiAsync"/> for anything
    /// that can take long (originate, a slow uuid_* on a loaded node), or an <see cref="EslClient"/> with
    /// <see cref="EslConnectionOptions.DedicatedCommandConnection"/>.
    /// </summary>
    public Task<EslResult> ApiAsync(string command, string? args = null, CancellationToken cancellationToken = default) =>
        SendCommandAsync(EslCommands.Api(command, args), cancellationToken: cancellationToken);

    /// <summary>
    /// <c>bgapi</c> with our own Job-UUID, registered before anything is written, so the BACKGROUND_JOB completes the
    /// call whether it arrives before or after <c>+OK Job-UUID</c>. Makes sure the result can arrive: subscribes to
    /// BACKGROUND_JOB if needed and, when filters are active, adds <c>filter Event-Name BACKGROUND_JOB</c> (after the
    /// first filter FreeSWITCH passes only matching events). A "-ERR" body is a failed result. Only this job fails
    /// if it takes longer than <see cref="EslConnectionOptions.BackgroundJobTimeout"/> (a <see cref="TimeoutException"/>).
    /// </summary>
    public async Task<EslResult> BgApiAsync(string command, string? args = null, CancellationToken cancellationToken = default)
    {
        var jobUuid = Guid.NewGuid();
        var bgapi = EslCommands.BgApi(command, args, jobUuid);
        await EnsureBackgroundJobsArriveAsync(cancellationToken).ConfigureAwait(false);
        var key = jobUuid.ToString("D");
        var job = new TaskCompletionSource<EslResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _jobs[key] = job;
        try
        {
            ThrowIfFaulted();
            var reply = await SendCommandAsync(bgapi, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!reply.Ok)
            {
                return reply;
            }

            return await job.Task.WaitAsync(_options.BackgroundJobTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"no BACKGROUND_JOB for '{bgapi.Line}' (Job-UUID {key}) from {_node} within {_options.BackgroundJobTimeout}", e);
        }
        finally
        {
            _jobs.TryRemove(key, out _);
        }
    }

    /// <summary><c>event plain|json &lt;names&gt;</c> in the configured format; names are event names, ALL, or CUSTOM
    /// followed by subclasses.</summary>
    public Task<EslResult> SubscribeAsync(IEnumerable<string> names, CancellationToken cancellationToken = default) =>
        SendCommandAsync(EslCommands.Event(_options.EventFormat, names), cancellationToken: cancellationToken);

    /// <summary><c>filter &lt;header&gt; &lt;value&gt;</c>.</summary>
    public Task<EslResult> FilterAsync(string header, string value, CancellationToken cancellationToken = default) =>
        SendCommandAsync(EslCommands.Filter(header, value), cancellationToken: cancellationToken);

    /// <summary>
    /// <c>sendmsg execute</c> with a fresh <c>event-uuid</c>, completing on the matching CHANNEL_EXECUTE_COMPLETE
    /// (its Application-UUID). The channel's events must reach this socket (myevents, or a subscription to
    /// CHANNEL_EXECUTE_COMPLETE). A "-ERR" reply throws <see cref="EslCommandException"/>, and so does the channel's
    /// CHANNEL_HANGUP_COMPLETE arriving first (a queued application that never ran never completes). Long applications
    /// (bridge, playback) have no built-in deadline: pass a token that carries one.
    /// </summary>
    public async Task<EslExecuteResult> ExecuteAsync(string? uuid, string application, string? args = null, bool eventLock = false, CancellationToken cancellationToken = default)
    {
        var eventUuid = Guid.NewGuid();
        var command = EslSendMsg.Execute(uuid, application, args, eventUuid, eventLock);
        var key = eventUuid.ToString("D");
        var completion = new TaskCompletionSource<EslExecuteResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _executions[key] = new PendingExecution(uuid, command.Line, completion);
        try
        {
            ThrowIfFaulted();
            (await SendCommandAsync(command, cancellationToken: cancellationToken).ConfigureAwait(false)).EnsureOk(command.Line);
            return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _executions.TryRemove(key, out _);
        }
    }

    /// <summary><c>sendmsg hangup</c> with a hangup cause.</summary>
    public Task<EslResult> HangupAsync(string? uuid, string cause = "NORMAL_CLEARING", CancellationToken cancellationToken = default) =>
        SendCommandAsync(EslSendMsg.Hangup(uuid, cause), cancellationToken: cancellationToken);

    /// <summary>
    /// <c>exit</c>: FreeSWITCH answers <c>+OK bye</c>, sends a disconnect notice and closes. Returns when the
    /// connection has ended (or the timeout passed, then it is closed from this side).
    /// </summary>
    public async Task ExitAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await SendCommandAsync(EslCommands.Exit(), cancellationToken: cancellationToken).ConfigureAwait(false);
            await Completion.WaitAsync(_options.CommandTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (EslConnectionException)
        {
            // Already closed: that is what exit asked for.
        }
        catch (TimeoutException)
        {
            Fault(new EslConnectionException(EslFailureKind.Disposed, $"FreeSWITCH at {_node} did not close after exit"));
        }
    }

    private async Task EnsureBackgroundJobsArriveAsync(CancellationToken cancellationToken)
    {
        if (Subscriptions.NeedsBackgroundJobFilter)
        {
            (await SendCommandAsync(EslCommands.Filter("Event-Name", "BACKGROUND_JOB"), cancellationToken: cancellationToken).ConfigureAwait(false))
                .EnsureOk("filter Event-Name BACKGROUND_JOB");
        }

        if (!Subscriptions.SubscribedToBackgroundJob)
        {
            (await SendCommandAsync(EslCommands.Event(_options.EventFormat, ["BACKGROUND_JOB"]), cancellationToken: cancellationToken).ConfigureAwait(false))
                .EnsureOk("event BACKGROUND_JOB");
        }
    }
}
