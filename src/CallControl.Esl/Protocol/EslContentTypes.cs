namespace CallControl.Esl.Protocol;

/// <summary>The <c>Content-Type</c> values mod_event_socket sends.</summary>
public static class EslContentTypes
{
    /// <summary>The greeting: the server waits for <c>auth</c>.</summary>
    public const string AuthRequest = "auth/request";

    /// <summary>The reply to a command (<c>Reply-Text</c> carries <c>+OK</c> or <c>-ERR</c>).</summary>
    public const string CommandReply = "command/reply";

    /// <summary>The reply to <c>api</c>: the body is the command's output.</summary>
    public const string ApiResponse = "api/response";

    /// <summary>An event in plain format: the body is a percent-encoded header block, maybe with an inner body.</summary>
    public const string EventPlain = "text/event-plain";

    /// <summary>An event in JSON format.</summary>
    public const string EventJson = "text/event-json";

    /// <summary>An event in XML format.</summary>
    public const string EventXml = "text/event-xml";

    /// <summary>The server is closing (or lingering): <c>Content-Disposition</c> says which.</summary>
    public const string DisconnectNotice = "text/disconnect-notice";

    /// <summary>A log line (after <c>log &lt;level&gt;</c>).</summary>
    public const string LogData = "log/data";

    /// <summary>The ACL refused this connection; the server closes it.</summary>
    public const string RudeRejection = "text/rude-rejection";
}
