using System.Globalization;

namespace CallControl.Esl.Commands;

/// <summary>
/// Builders for every command this client sends. Each validates its values (see <see cref="EslCommand"/>): no
/// user-supplied text reaches the socket unchecked.
/// </summary>
public static class EslCommands
{
    /// <summary><c>auth &lt;password&gt;</c>.</summary>
    public static EslCommand Auth(string password) => EslCommand.Create("auth", Required(password, nameof(password)));

    /// <summary><c>userauth &lt;user&gt;@&lt;domain&gt;:&lt;password&gt;</c> (mod_event_socket splits on the first '@'
    /// and then ':').</summary>
    public static EslCommand UserAuth(string user, string domain, string password)
    {
        Required(user, nameof(user));
        Required(domain, nameof(domain));
        if (user.Contains('@', StringComparison.Ordinal) || user.Contains(':', StringComparison.Ordinal) || domain.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("userauth user must not contain '@' or ':', and the domain must not contain ':'.", nameof(user));
        }

        return EslCommand.Create("userauth", $"{user}@{domain}:{Required(password, nameof(password))}");
    }

    /// <summary><c>api &lt;command&gt; [args]</c>. Runs in FreeSWITCH's listener thread: nothing else, events
    /// included, flows on the socket until it returns. Prefer <see cref="BgApi"/> for anything slow.</summary>
    public static EslCommand Api(string command, string? args = null) => EslCommand.Create("api", Word(command, nameof(command)), args);

    /// <summary><c>bgapi &lt;command&gt; [args]</c> with our own <c>Job-UUID</c> header, so the BACKGROUND_JOB can
    /// be matched whether it arrives before or after the reply.</summary>
    public static EslCommand BgApi(string command, string? args, Guid jobUuid) =>
        EslCommand.Create("bgapi", Word(command, nameof(command)), args).WithHeader("Job-UUID", jobUuid.ToString("D"));

    /// <summary><c>event plain|json &lt;names&gt;</c>; names are event names, <c>ALL</c>, or <c>CUSTOM</c> followed
    /// by subclasses.</summary>
    public static EslCommand Event(EslEventEncoding encoding, IEnumerable<string> names) =>
        EslCommand.Create("event", [Encoding(encoding), .. Words(names, nameof(names))]);

    /// <summary><c>nixevent &lt;names&gt;</c>.</summary>
    public static EslCommand NixEvent(IEnumerable<string> names) => EslCommand.Create("nixevent", Words(names, nameof(names)));

    /// <summary><c>noevents</c>.</summary>
    public static EslCommand NoEvents() => EslCommand.Create("noevents");

    /// <summary><c>filter &lt;header&gt; &lt;value&gt;</c>; a value starting with '/' is a regular expression.
    /// After the first filter only matching events pass.</summary>
    public static EslCommand Filter(string header, string value) =>
        EslCommand.Create("filter", Word(header, nameof(header)), Required(value, nameof(value)));

    /// <summary><c>filter delete &lt;header&gt; [value]</c>.</summary>
    public static EslCommand FilterDelete(string header, string? value = null) =>
        EslCommand.Create("filter", "delete", Word(header, nameof(header)), value);

    /// <summary><c>filter delete all</c>.</summary>
    public static EslCommand FilterDeleteAll() => EslCommand.Create("filter", "delete", "all");

    /// <summary><c>myevents [uuid]</c>: only this channel's events (the uuid is required on inbound sockets).</summary>
    public static EslCommand MyEvents(string? uuid = null) => EslCommand.Create("myevents", uuid is null ? null : Word(uuid, nameof(uuid)));

    /// <summary><c>divert_events on|off</c>.</summary>
    public static EslCommand DivertEvents(bool on) => EslCommand.Create("divert_events", on ? "on" : "off");

    /// <summary><c>linger [seconds]</c>; without seconds FreeSWITCH lingers until <c>exit</c>.</summary>
    public static EslCommand Linger(int? seconds = null) =>
        EslCommand.Create("linger", seconds is { } s ? Positive(s, nameof(seconds)).ToString(CultureInfo.InvariantCulture) : null);

    /// <summary><c>nolinger</c>.</summary>
    public static EslCommand NoLinger() => EslCommand.Create("nolinger");

    /// <summary><c>log &lt;level&gt;</c> (0-7 or a name such as <c>debug</c>).</summary>
    public static EslCommand Log(string level) => EslCommand.Create("log", Word(level, nameof(level)));

    /// <summary><c>nolog</c>.</summary>
    public static EslCommand NoLog() => EslCommand.Create("nolog");

    /// <summary><c>exit</c>: FreeSWITCH answers <c>+OK bye</c>, sends a disconnect notice and closes.</summary>
    public static EslCommand Exit() => EslCommand.Create("exit");

    /// <summary><c>connect</c>: the first command on an outbound socket; the reply is CHANNEL_DATA.</summary>
    public static EslCommand Connect() => EslCommand.Create("connect");

    /// <summary><c>getvar &lt;name&gt;</c> (outbound sockets).</summary>
    public static EslCommand GetVar(string name) => EslCommand.Create("getvar", Word(name, nameof(name)));

    /// <summary><c>resume</c> (outbound sockets): the dialplan continues when the socket closes.</summary>
    public static EslCommand Resume() => EslCommand.Create("resume");

    /// <summary><c>sendevent &lt;name&gt;</c> with headers and an optional body.</summary>
    public static EslCommand SendEvent(string eventName, IEnumerable<KeyValuePair<string, string>>? headers = null, string? body = null, string contentType = "text/plain")
    {
        var command = EslCommand.Create("sendevent", Word(eventName, nameof(eventName)));
        foreach (var h in headers ?? [])
        {
            command = command.WithHeader(h.Key, h.Value);
        }

        return body is null ? command : command.WithBody(body, contentType);
    }

    internal static string Encoding(EslEventEncoding encoding) => encoding == EslEventEncoding.Json ? "json" : "plain";

    internal static string Word(string value, string paramName)
    {
        EslCommand.ValidateWord(value, paramName);
        return value;
    }

    private static string Required(string value, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, paramName);
        EslCommand.ValidateValue(value, paramName);
        return value;
    }

    private static int Positive(int value, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, paramName);
        return value;
    }

    private static string[] Words(IEnumerable<string> names, string paramName)
    {
        ArgumentNullException.ThrowIfNull(names, paramName);
        var list = names.Select(n => Word(n, paramName)).ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one event name is required.", paramName);
        }

        return list;
    }
}
