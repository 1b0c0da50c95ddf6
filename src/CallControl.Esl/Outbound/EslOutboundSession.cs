using System.Threading.Channels;
using CallControl.Esl.Commands;
using CallControl.Esl.Connection;
using CallControl.Esl.Events;

namespace CallControl.Esl.Outbound;

/// <summary>
/// One channel FreeSWITCH handed to us with the <c>socket</c> application. After <c>connect</c> FreeSWITCH answered
/// with the channel's data (a CHANNEL_DATA event in the reply envelope, with <c>Socket-Mode</c> and <c>Control</c>).
/// Without <c>full</c> (Control: single-channel) FreeSWITCH accepts only connect, getvar, myevents, resume, filter,
/// divert_events, sendmsg and exit and answers anything else with <c>-ERR command not found</c>; this session refuses
/// those locally, before anything is written.
/// </summary>
public sealed class EslOutboundSession : IAsyncDisposable
{
    private static readonly HashSet<string> SingleChannelCommands = new(StringComparer.Ordinal)
    {
        "connect", "getvar", "myevents", "resume", "filter", "divert_events", "sendmsg", "exit",
    };

    internal EslOutboundSession(EslConnection connection, EslEvent channelData)
    {
        Connection = connection;
        ChannelData = channelData;
        UniqueId = channelData.GetHeader("Unique-ID") ?? channelData.GetHeader("Channel-Unique-ID") ?? string.Empty;
        Control = channelData.GetHeader("Control") ?? "single-channel";
        SocketMode = channelData.GetHeader("Socket-Mode") ?? "static";
    }

    /// <summary>The CHANNEL_DATA event from the connect reply: every channel variable as <c>variable_*</c>.</summary>
    public EslEvent ChannelData { get; }

    /// <summary>The controlled channel's Unique-ID.</summary>
    public string UniqueId { get; }

    /// <summary><c>full</c> or <c>single-channel</c>.</summary>
    public string Control { get; }

    /// <summary><c>async</c> or <c>static</c>.</summary>
    public string SocketMode { get; }

    /// <summary>Whether the dialplan said <c>full</c>: api, bgapi, event, linger, log... are allowed.</summary>
    public bool IsFullControl => string.Equals(Control, "full", StringComparison.OrdinalIgnoreCase);

    /// <summary>The underlying connection (completion, disconnect notice, linger state).</summary>
    public EslConnection Connection { get; }

    /// <summary>Events for this socket (after <see cref="MyEventsAsync"/>), in order; dispose each.</summary>
    public ChannelReader<EslEvent> Events => Connection.Events;

    /// <summary>A channel variable from the connect reply (<c>variable_&lt;name&gt;</c>), or null.</summary>
    public string? GetVariable(string name) => ChannelData.GetVariable(name);

    /// <summary>Sends a command, refusing locally what FreeSWITCH refuses without <c>full</c>.</summary>
    public Task<EslResult> SendCommandAsync(EslCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!IsFullControl && !SingleChannelCommands.Contains(command.Name))
        {
            throw new InvalidOperationException(
                $"'{command.Name}' is not allowed on an outbound socket without 'full' (Control: {Control}); FreeSWITCH would answer -ERR command not found. Add 'full' to the socket application's arguments.");
        }

        return Connection.SendCommandAsync(command, cancellationToken: cancellationToken);
    }

    /// <summary><c>myevents</c>: this channel's events come to this socket.</summary>
    public Task<EslResult> MyEventsAsync(CancellationToken cancellationToken = default) => SendCommandAsync(EslCommands.MyEvents(), cancellationToken);

    /// <summary><c>linger [seconds]</c>: after hangup keep the socket open (a linger notice, then the final events)
    /// until the time runs out or <c>exit</c>. Needs <c>full</c>.</summary>
    public Task<EslResult> LingerAsync(int? seconds = null, CancellationToken cancellationToken = default) => SendCommandAsync(EslCommands.Linger(seconds), cancellationToken);

    /// <summary><c>resume</c>: when the socket closes, the dialplan continues.</summary>
    public Task<EslResult> ResumeAsync(CancellationToken cancellationToken = default) => SendCommandAsync(EslCommands.Resume(), cancellationToken);

    /// <summary><c>filter &lt;header&gt; &lt;value&gt;</c>.</summary>
    public Task<EslResult> FilterAsync(string header, string value, CancellationToken cancellationToken = default) =>
        SendCommandAsync(EslCommands.Filter(header, value), cancellationToken);

    /// <summary><c>divert_events on|off</c>.</summary>
    public Task<EslResult> DivertEventsAsync(bool on, CancellationToken cancellationToken = default) => SendCommandAsync(EslCommands.DivertEvents(on), cancellationToken);

    /// <summary><c>getvar &lt;name&gt;</c>: the value, or null when unset or empty (FreeSWITCH answers
    /// <c>-ERR command not found</c> for both).</summary>
    public async Task<string?> GetVarAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await SendCommandAsync(EslCommands.GetVar(name), cancellationToken).ConfigureAwait(false);
        return result.Ok ? result.Text : null;
    }

    /// <summary><c>sendmsg execute</c>, completing on the CHANNEL_EXECUTE_COMPLETE whose Application-UUID is the
    /// event-uuid sent. Call <see cref="MyEventsAsync"/> first, or the completion never reaches this socket.</summary>
    public Task<EslExecuteResult> ExecuteAsync(string application, string? args = null, bool eventLock = false, CancellationToken cancellationToken = default) =>
        Connection.ExecuteAsync(null, application, args, eventLock, cancellationToken);

    /// <summary><c>sendmsg hangup</c> with a cause.</summary>
    public Task<EslResult> HangupAsync(string cause = "NORMAL_CLEARING", CancellationToken cancellationToken = default) =>
        SendCommandAsync(EslSendMsg.Hangup(null, cause), cancellationToken);

    /// <summary><c>api</c> (needs <c>full</c>).</summary>
    public Task<EslResult> ApiAsync(string command, string? args = null, CancellationToken cancellationToken = default) =>
        SendCommandAsync(EslCommands.Api(command, args), cancellationToken);

    /// <summary><c>bgapi</c> (needs <c>full</c>), completing with the BACKGROUND_JOB's result.</summary>
    public Task<EslResult> BgApiAsync(string command, string? args = null, CancellationToken cancellationToken = default)
    {
        EnsureFull("bgapi");
        return Connection.BgApiAsync(command, args, cancellationToken);
    }

    /// <summary><c>event plain &lt;names&gt;</c> (needs <c>full</c>).</summary>
    public Task<EslResult> SubscribeAsync(IEnumerable<string> names, CancellationToken cancellationToken = default) =>
        SendCommandAsync(EslCommands.Event(EslEventEncoding.Plain, names), cancellationToken);

    /// <summary><c>log &lt;level&gt;</c> (needs <c>full</c>).</summary>
    public Task<EslResult> LogAsync(string level, CancellationToken cancellationToken = default) => SendCommandAsync(EslCommands.Log(level), cancellationToken);

    /// <summary><c>exit</c>: FreeSWITCH answers <c>+OK bye</c>, sends a disconnect notice and closes.</summary>
    public Task ExitAsync(CancellationToken cancellationToken = default) => Connection.ExitAsync(cancellationToken);

    /// <summary>Closes the socket and releases the channel data.</summary>
    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        ChannelData.Dispose();
    }

    private void EnsureFull(string command)
    {
        if (!IsFullControl)
        {
            throw new InvalidOperationException(
                $"'{command}' is not allowed on an outbound socket without 'full' (Control: {Control}); FreeSWITCH would answer -ERR command not found.");
        }
    }
}
