using System.Buffers;
using CallControl.Esl.Commands;
using CallControl.Esl.Connection;

namespace CallControl.Switch;

/// <summary>
/// The commands the service sends to one node, each built only from validated values: channel UUIDs must be UUIDs,
/// hangup causes FreeSWITCH cause names, variable names plain identifiers. The ESL client rejects CR/LF on the wire;
/// these checks keep user text out of command arguments altogether. A refusal from FreeSWITCH comes back as an
/// <see cref="EslResult"/> with <c>Ok</c> false; a lost connection throws <see cref="EslConnectionException"/>.
/// </summary>
public sealed class NodeCommands
{
    // mod_commands' uuid_setvar_multi splits into at most 64 parts (argv[64]).
    private const int MaxSetVarMulti = 64;

    // Characters switch_separate_string or the name=value split would read as syntax.
    private static readonly SearchValues<char> SetVarMultiSyntax = SearchValues.Create(";='\"\\");

    private readonly EslClient _raw;
    private readonly Func<bool> _steering;

    internal NodeCommands(string node, EslClient client, Func<bool>? steering = null)
    {
        Node = node;
        _raw = client;
        _steering = steering ?? (() => true);
    }

    /// <summary>The client for commands that act on the node: refused unless this instance steers it (fencing).</summary>
    private EslClient Steered => _steering()
        ? _raw
        : throw new NodeNotSteeredException($"This instance does not steer FreeSWITCH node '{Node}'.");

    /// <summary>The node these commands go to.</summary>
    public string Node { get; }

    /// <summary><c>api &lt;command&gt; [args]</c>; the command must be a single word. Quick commands only: FreeSWITCH
    /// runs <c>api</c> in the listener's thread and delivers no events on the socket until it returns.</summary>
    public Task<EslResult> ApiAsync(string command, string? args = null, CancellationToken cancellationToken = default) =>
        Steered.ApiAsync(Word(command, nameof(command)), args, cancellationToken);

    /// <summary><c>bgapi</c>, completing with the BACKGROUND_JOB's result.</summary>
    public Task<EslResult> BgApiAsync(string command, string? args = null, CancellationToken cancellationToken = default) =>
        Steered.BgApiAsync(Word(command, nameof(command)), args, cancellationToken);

    /// <summary>
    /// <c>sendmsg &lt;uuid&gt; execute &lt;app&gt; &lt;args&gt;</c>, completing on its CHANNEL_EXECUTE_COMPLETE. Only the
    /// <see cref="FreeSwitchNode.ExecutedApplications"/>: the node's filters drop every other application's completion,
    /// so the command would never complete.
    /// </summary>
    public Task<EslExecuteResult> SendMsgExecuteAsync(string uuid, string application, string? args = null, CancellationToken cancellationToken = default) =>
        Steered.ExecuteAsync(Uuid(uuid), Executed(application), args, eventLock: false, cancellationToken);

    /// <summary><c>sendmsg &lt;uuid&gt; hangup &lt;cause&gt;</c>.</summary>
    public Task<EslResult> HangupAsync(string uuid, string cause = "NORMAL_CLEARING", CancellationToken cancellationToken = default) =>
        Steered.HangupAsync(Uuid(uuid), Cause(cause), cancellationToken);

    /// <summary><c>uuid_kill &lt;uuid&gt; [cause]</c>.</summary>
    public Task<EslResult> UuidKillAsync(string uuid, string cause = "NORMAL_CLEARING", CancellationToken cancellationToken = default) =>
        Steered.ApiAsync("uuid_kill", $"{Uuid(uuid)} {Cause(cause)}", cancellationToken);

    /// <summary><c>uuid_answer &lt;uuid&gt;</c>.</summary>
    public Task<EslResult> UuidAnswerAsync(string uuid, CancellationToken cancellationToken = default) =>
        Steered.ApiAsync("uuid_answer", Uuid(uuid), cancellationToken);

    /// <summary><c>uuid_bridge &lt;a&gt; &lt;b&gt;</c>. FreeSWITCH refuses (<c>-ERR Invalid uuid</c>) when neither leg is answered.</summary>
    public Task<EslResult> UuidBridgeAsync(string uuidA, string uuidB, CancellationToken cancellationToken = default) =>
        Steered.ApiAsync("uuid_bridge", $"{Uuid(uuidA)} {Uuid(uuidB)}", cancellationToken);

    /// <summary><c>uuid_setvar &lt;uuid&gt; &lt;name&gt; &lt;value&gt;</c>; the value must be one line without spaces at
    /// either end (FreeSWITCH trims them).</summary>
    public Task<EslResult> UuidSetVarAsync(string uuid, string name, string value, CancellationToken cancellationToken = default) =>
        Steered.ApiAsync("uuid_setvar", $"{Uuid(uuid)} {Identifier(name, nameof(name))} {Value(value)}", cancellationToken);

    /// <summary>
    /// <c>uuid_setvar_multi &lt;uuid&gt; &lt;name&gt;=&lt;value&gt;;&lt;name&gt;=&lt;value&gt;...</c>: several variables in one round trip.
    /// mod_commands splits the list like switch_separate_string (';' between pairs, quotes and backslashes are
    /// syntax, at most 64 parts) and each pair at its first '=', so values may contain none of <c>; = ' " \</c>.
    /// FreeSWITCH answers <c>+OK</c>, or <c>-ERR No such channel!</c> followed by the usage line.
    /// </summary>
    public Task<EslResult> UuidSetVarsAsync(string uuid, IReadOnlyList<KeyValuePair<string, string>> variables, CancellationToken cancellationToken = default) =>
        Steered.ApiAsync("uuid_setvar_multi", $"{Uuid(uuid)} {VariableList(variables)}", cancellationToken);

    /// <summary><c>uuid_getvar &lt;uuid&gt; &lt;name&gt;</c>.</summary>
    public Task<EslResult> UuidGetVarAsync(string uuid, string name, CancellationToken cancellationToken = default) =>
        _raw.ApiAsync("uuid_getvar", $"{Uuid(uuid)} {Identifier(name, nameof(name))}", cancellationToken);

    /// <summary><c>uuid_exists &lt;uuid&gt;</c> (FreeSWITCH answers "true" or "false").</summary>
    public Task<EslResult> UuidExistsAsync(string uuid, CancellationToken cancellationToken = default) =>
        _raw.ApiAsync("uuid_exists", Uuid(uuid), cancellationToken);

    /// <summary><c>show channels as json</c>, the node's live channels, for reconciling after a reconnect.</summary>
    public Task<EslResult> ShowChannelsAsync(CancellationToken cancellationToken = default) =>
        _raw.ApiAsync("show", "channels as json", cancellationToken);

    /// <summary><c>uuid_dump &lt;uuid&gt; json</c>: the channel's CHANNEL_DATA (headers and <c>variable_*</c>) as one JSON object.</summary>
    public Task<EslResult> UuidDumpAsync(string uuid, CancellationToken cancellationToken = default) =>
        _raw.ApiAsync("uuid_dump", $"{Uuid(uuid)} json", cancellationToken);

    /// <summary><c>global_getvar core_uuid</c>: the node's Core-UUID, new on every FreeSWITCH start.</summary>
    public Task<EslResult> CoreUuidAsync(CancellationToken cancellationToken = default) =>
        _raw.ApiAsync("global_getvar", "core_uuid", cancellationToken);

    internal static string Uuid(string uuid) =>
        Guid.TryParseExact(uuid, "D", out _) ? uuid : throw new ArgumentException($"'{uuid}' is not a channel UUID.", nameof(uuid));

    internal static string Cause(string cause)
    {
        // FreeSWITCH cause names: NORMAL_CLEARING, USER_BUSY, CALL_REJECTED, ...
        if (string.IsNullOrEmpty(cause) || cause.Length > 64 || !cause.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{cause}' is not a hangup cause name.", nameof(cause));
        }

        return cause;
    }

    internal static string Identifier(string name, string parameter)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 128 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{name}' is not a variable name.", parameter);
        }

        return name;
    }

    private static string VariableList(IReadOnlyList<KeyValuePair<string, string>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (variables.Count is 0 or > MaxSetVarMulti)
        {
            throw new ArgumentException($"uuid_setvar_multi takes 1 to {MaxSetVarMulti} variables.", nameof(variables));
        }

        return string.Join(';', variables.Select(v => $"{Identifier(v.Key, nameof(variables))}={ListValue(v.Value)}"));
    }

    private static string ListValue(string value)
    {
        var line = Value(value);
        if (line.AsSpan().IndexOfAny(SetVarMultiSyntax) >= 0)
        {
            throw new ArgumentException("A uuid_setvar_multi value must not contain ; = ' \" or \\.", nameof(value));
        }

        return line;
    }

    private static string Word(string word, string parameter)
    {
        if (string.IsNullOrEmpty(word) || !word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"'{word}' is not a command or application name.", parameter);
        }

        return word;
    }

    private static string Executed(string application)
    {
        Word(application, nameof(application));
        if (!FreeSwitchNode.ExecutedApplications.Contains(application))
        {
            throw new ArgumentException(
                $"'{application}' is not one of the applications the node's event filters let complete ({string.Join(", ", FreeSwitchNode.ExecutedApplications)}).",
                nameof(application));
        }

        return application;
    }

    private static string Value(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || value.Length > 1024 || value.Trim().Length != value.Length || value.Any(char.IsControl))
        {
            throw new ArgumentException("A channel variable value must be one non-empty line without surrounding spaces.", nameof(value));
        }

        return value;
    }
}
