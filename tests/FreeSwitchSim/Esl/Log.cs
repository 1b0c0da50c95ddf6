using Microsoft.Extensions.Logging;

namespace FreeSwitchSim.Esl;

/// <summary>The simulator's ESL log messages (event ids 5000-5099).</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Information, "ESL listening on 127.0.0.1:{Port}")]
    public static partial void Listening(ILogger logger, int port);

    [LoggerMessage(5001, LogLevel.Debug, "ESL connection opened from {Remote} (outbound: {Outbound})")]
    public static partial void ConnectionOpened(ILogger logger, string remote, bool outbound);

    [LoggerMessage(5002, LogLevel.Debug, "ESL connection {Remote} closed")]
    public static partial void ConnectionClosed(ILogger logger, string remote);

    [LoggerMessage(5003, LogLevel.Warning, "ESL listener {Remote} lost an event ({Lost} in a row): queue full")]
    public static partial void EventLost(ILogger logger, string remote, int lost);

    [LoggerMessage(5004, LogLevel.Warning, "API command {Command} threw; answering as FreeSWITCH does for a missing command")]
    public static partial void ApiFailed(ILogger logger, string command, Exception exception);

    [LoggerMessage(5005, LogLevel.Information, "Refusing ESL connections for {Seconds} s (ACL rejection: {AclReject})")]
    public static partial void Refusing(ILogger logger, double seconds, bool aclReject);

    [LoggerMessage(5006, LogLevel.Information, "FreeSWITCH simulator {Hostname}: ESL 127.0.0.1:{EslPort}, control API {Control}")]
    public static partial void Started(ILogger logger, string hostname, int eslPort, string control);

    [LoggerMessage(5007, LogLevel.Error, "Could not listen on 127.0.0.1:{Port} again after a refuse fault")]
    public static partial void RelistenFailed(ILogger logger, int port, Exception exception);
}
