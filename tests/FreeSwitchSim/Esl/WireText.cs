using System.Globalization;
using System.Text;
using FreeSwitchSim.Core;

namespace FreeSwitchSim.Esl;

/// <summary>The fixed texts and frame shapes mod_event_socket writes (byte-exact against the captures).</summary>
internal static class WireText
{
    public const string AuthRequest = "Content-Type: auth/request\n\n";

    /// <summary>listener_run's goodbye after exit, a failed auth or a closed socket.</summary>
    public const string Goodbye = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";

    /// <summary>kill_all_listeners at module shutdown (shutdown.server.raw).</summary>
    public const string ShuttingDown = "The system is being shut down.\n";

    /// <summary>event_handler after MAX_MISSED consecutive failed enqueues.</summary>
    public const string LostEvents = "killed listener because of lost events\n";

    public const string LostLogs = "killed listener because of lost log lines\n";

    /// <summary>ACL rejection text in listener_run.</summary>
    public const string AccessDenied = "Access Denied, go away.\n";

    public static byte[] Reply(string replyText) =>
        Ascii($"Content-Type: command/reply\nReply-Text: {replyText}\n\n");

    /// <summary>A reply that starts with '~' in parse_command: the rest is written verbatim after Content-Type.</summary>
    public static byte[] RawReply(string rest) => Ascii($"Content-Type: command/reply\n{rest}");

    public static byte[] ApiResponse(string body)
    {
        var b = Encoding.UTF8.GetBytes(body);
        return [.. Ascii($"Content-Type: api/response\nContent-Length: {b.Length}\n\n"), .. b];
    }

    /// <summary>send_disconnect: with a controlled session the notice names it and says "disconnect".</summary>
    public static byte[] DisconnectNotice(string message, string? sessionUuid)
    {
        var m = Encoding.UTF8.GetBytes(message);
        var head = sessionUuid is null
            ? $"Content-Type: text/disconnect-notice\nContent-Length: {m.Length}\n\n"
            : $"Content-Type: text/disconnect-notice\nControlled-Session-UUID: {sessionUuid}\nContent-Disposition: disconnect\nContent-Length: {m.Length}\n\n";
        return [.. Encoding.UTF8.GetBytes(head), .. m];
    }

    /// <summary>read_packet when the controlled channel goes down with linger on (outbound-socket.server.raw).</summary>
    public static byte[] LingerNotice(string sessionUuid, string channelName, int lingerSeconds) =>
        Encoding.UTF8.GetBytes(
            "Content-Type: text/disconnect-notice\n" +
            $"Controlled-Session-UUID: {sessionUuid}\n" +
            "Content-Disposition: linger\n" +
            $"Channel-Name: {channelName}\n" +
            $"Linger-Time: {lingerSeconds.ToString(CultureInfo.InvariantCulture)}\n" +
            "Content-Length: 0\n\n");

    public static byte[] RudeRejection()
    {
        var m = Encoding.ASCII.GetBytes(AccessDenied);
        return [.. Ascii($"Content-Type: text/rude-rejection\nContent-Length: {m.Length}\n\n"), .. m];
    }

    /// <summary>read_packet's log/data frame (commands.server.raw): Content-Length first, User-Data possibly empty.</summary>
    public static byte[] LogData(SimLogLine line, TimeZoneInfo zone)
    {
        var data = Encoding.UTF8.GetBytes(LogText(line, zone));
        var head =
            "Content-Type: log/data\n" +
            $"Content-Length: {data.Length}\n" +
            $"Log-Level: {line.Level}\n" +
            $"Text-Channel: {(line.SessionUuid is null ? 0 : 3)}\n" +
            $"Log-File: {line.File}\n" +
            $"Log-Func: {line.Function}\n" +
            $"Log-Line: {line.Line}\n" +
            $"User-Data: {line.SessionUuid}\n\n";
        return [.. Encoding.UTF8.GetBytes(head), .. data];
    }

    /// <summary>switch_log_meta_vprintf's line: "%Y-%m-%d %H:%M:%S.usec idle% [LEVEL] file:line text".</summary>
    public static string LogText(SimLogLine line, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(line.Timestamp, zone);
        var usec = (local.Ticks % TimeSpan.TicksPerSecond) / 10;
        return string.Create(CultureInfo.InvariantCulture,
            $"{local:yyyy-MM-dd HH:mm:ss}.{usec:D6} 99.73% [{LogLevels.Name(line.Level)}] {line.File}:{line.Line} {line.Message}");
    }

    private static byte[] Ascii(string s) => Encoding.UTF8.GetBytes(s);
}
