using Microsoft.Extensions.Logging;

namespace FreeSwitchSim.Switch;

/// <summary>The switch model's log messages (event ids 7000-7099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Warning, Message = "A switch timer failed")]
    public static partial void TimerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "json_cdr POST for {Uuid} failed: {Reason}")]
    public static partial void CdrPostFailed(ILogger logger, string uuid, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "json_cdr spooled {Uuid} to {Path}")]
    public static partial void CdrSpooled(ILogger logger, string uuid, string path);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Outbound socket for {Uuid} failed")]
    public static partial void SocketFailed(ILogger logger, string uuid, Exception exception);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "xml_curl directory lookup failed: {Reason}")]
    public static partial void DirectoryFailed(ILogger logger, string reason);
}
