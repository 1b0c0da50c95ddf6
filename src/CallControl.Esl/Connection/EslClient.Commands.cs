using CallControl.Esl.Commands;

namespace CallControl.Esl.Connection;

/// <summary>Commands through the client: routed to the live connection; subscriptions recorded for replay.</summary>
public sealed partial class EslClient
{
    /// <summary>
    /// <c>api</c> on the dedicated command connection when <see cref="EslConnectionOptions.DedicatedCommandConnection"/>
    /// is set, else on the event connection, where FreeSWITCH delivers no events until the command returns: prefer
    /// <see cref="BgApiAsync"/> for anything slow. Throws <see cref="EslConnectionException"/> while disconnected.
    /// </summary>
    public Task<EslResult> ApiAsync(string command, string? args = null, CancellationToken cancellationToken = default) =>
        (_commands ?? Current).ApiAsync(command, args, cancellationToken);

    /// <summary><c>bgapi</c>, completing with the BACKGROUND_JOB's result (see <see cref="EslConnection.BgApiAsync"/>).</summary>
    public Task<EslResult> BgApiAsync(string command, string? args = null, CancellationToken cancellationToken = default) =>
        Current.BgApiAsync(command, args, cancellationToken);

    /// <summary>Sends any command on the event connection (subscription commands are not recorded for replay: use the
    /// typed methods for those).</summary>
    public Task<EslResult> SendCommandAsync(EslCommand command, CancellationToken cancellationToken = default) =>
        Current.SendCommandAsync(command, cancellationToken: cancellationToken);

    /// <summary><c>sendmsg execute</c> on a channel, completing on its CHANNEL_EXECUTE_COMPLETE.</summary>
    public Task<EslExecuteResult> ExecuteAsync(string uuid, string application, string? args = null, bool eventLock = false, CancellationToken cancellationToken = default) =>
        Current.ExecuteAsync(uuid, application, args, eventLock, cancellationToken);

    /// <summary><c>sendmsg hangup</c> on a channel.</summary>
    public Task<EslResult> HangupAsync(string uuid, string cause = "NORMAL_CLEARING", CancellationToken cancellationToken = default) =>
        Current.HangupAsync(uuid, cause, cancellationToken);

    /// <summary><c>event plain|json &lt;names&gt;</c>, kept across reconnects.</summary>
    public Task SubscribeAsync(IEnumerable<string> names, CancellationToken cancellationToken = default) =>
        ApplyAsync(EslCommands.Event(_options.EventFormat, names), cancellationToken);

    /// <summary><c>nixevent &lt;names&gt;</c>, kept across reconnects.</summary>
    public Task UnsubscribeAsync(IEnumerable<string> names, CancellationToken cancellationToken = default) =>
        ApplyAsync(EslCommands.NixEvent(names), cancellationToken);

    /// <summary><c>noevents</c>, kept across reconnects.</summary>
    public Task NoEventsAsync(CancellationToken cancellationToken = default) => ApplyAsync(EslCommands.NoEvents(), cancellationToken);

    /// <summary><c>filter &lt;header&gt; &lt;value&gt;</c>, kept across reconnects.</summary>
    public Task FilterAsync(string header, string value, CancellationToken cancellationToken = default) =>
        ApplyAsync(EslCommands.Filter(header, value), cancellationToken);

    /// <summary><c>filter delete &lt;header&gt; [value]</c>, kept across reconnects.</summary>
    public Task FilterDeleteAsync(string header, string? value = null, CancellationToken cancellationToken = default) =>
        ApplyAsync(EslCommands.FilterDelete(header, value), cancellationToken);

    /// <summary><c>myevents &lt;uuid&gt;</c>, kept across reconnects.</summary>
    public Task MyEventsAsync(string uuid, CancellationToken cancellationToken = default) =>
        ApplyAsync(EslCommands.MyEvents(uuid), cancellationToken);

    /// <summary><c>log &lt;level&gt;</c>, kept across reconnects; lines arrive on the connection's <see cref="EslConnection.Logs"/>.</summary>
    public Task LogAsync(string level, CancellationToken cancellationToken = default) => ApplyAsync(EslCommands.Log(level), cancellationToken);

    /// <summary><c>nolog</c>, kept across reconnects.</summary>
    public Task NoLogAsync(CancellationToken cancellationToken = default) => ApplyAsync(EslCommands.NoLog(), cancellationToken);

    private EslConnection Current => _current is { IsConnected: true } current
        ? current
        : throw new EslConnectionException(EslFailureKind.SocketClosed, $"not connected to FreeSWITCH at {_options.DisplayName}");

    /// <summary>
    /// Sends a subscription command on the live connection and records it for replay. While disconnected it is only
    /// recorded (applied on connect). A refusal (-ERR) throws <see cref="EslCommandException"/> and is not recorded;
    /// a connection failure is recorded (it will be applied on the next connection) and rethrown.
    /// </summary>
    private async Task ApplyAsync(EslCommand command, CancellationToken cancellationToken)
    {
        await _subscriptionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _current;
            if (current is null)
            {
                _desired.Record(command);
                return;
            }

            try
            {
                (await current.SendCommandAsync(command, cancellationToken: cancellationToken).ConfigureAwait(false)).EnsureOk(command.Line);
            }
            catch (EslConnectionException)
            {
                _desired.Record(command);
                throw;
            }

            _desired.Record(command);
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    /// <summary>Replays the recorded state on a fresh connection and only then publishes it as current, under the
    /// same lock as <see cref="ApplyAsync"/>, so a subscription made meanwhile is neither lost nor sent twice.</summary>
    private async Task ApplySubscriptionsAsync(EslConnection events, CancellationToken cancellationToken)
    {
        await _subscriptionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var command in _desired.ReplayCommands())
            {
                var result = await events.SendCommandAsync(command, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (!result.Ok)
                {
                    Log.ResubscribeFailed(_logger, _options.DisplayName, $"{command.Line}: {result.Text}");
                }
            }

            // Liveness rests on HEARTBEAT (every 20 s by default): make sure it reaches this socket.
            if (_options.LivenessTimeout is not null && !events.Subscriptions.Receives("HEARTBEAT"))
            {
                if (events.Subscriptions.Filters.Count > 0)
                {
                    await events.SendCommandAsync(EslCommands.Filter("Event-Name", "HEARTBEAT"), cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                await events.SendCommandAsync(EslCommands.Event(_options.EventFormat, ["HEARTBEAT"]), cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            _current = events;
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }
}
