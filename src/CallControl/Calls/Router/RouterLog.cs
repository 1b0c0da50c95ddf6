namespace CallControl.Calls.Router;

/// <summary>The router's log messages (calls: 2100s).</summary>
internal static partial class RouterLog
{
    [LoggerMessage(2101, LogLevel.Debug, "Call {CallId}: {Input} -> status {Status}, {Commands} commands")]
    public static partial void Input(ILogger logger, Guid callId, string input, string? status, int commands);

    [LoggerMessage(2102, LogLevel.Warning, "Call {CallId}: {Command} (for {Input}) failed")]
    public static partial void CommandFailed(ILogger logger, Guid callId, string command, string input, Exception exception);

    [LoggerMessage(2103, LogLevel.Information, "Call {CallId}: bridging caller leg {CallUuid} to the carrier ({Reason})")]
    public static partial void Dialing(ILogger logger, Guid callId, string callUuid, string reason);

    [LoggerMessage(2104, LogLevel.Warning, "Call {CallId}: transition to {Status} not stored ({Outcome})")]
    public static partial void TransitionNotApplied(ILogger logger, Guid callId, string status, string outcome);

    [LoggerMessage(2105, LogLevel.Warning, "Call {CallId}: leg {CallUuid} parked with login {Login}, not a party of the room: hung up")]
    public static partial void StrangerLeg(ILogger logger, Guid callId, string callUuid, string login);

    [LoggerMessage(2106, LogLevel.Error, "Call {CallId}: {Input} could not be handled")]
    public static partial void InputFailed(ILogger logger, Guid callId, string input, Exception exception);

    [LoggerMessage(2107, LogLevel.Warning, "Call {CallId}: storing its end ({Status}) failed; trying again apart")]
    public static partial void FinalWriteDeferred(ILogger logger, Guid callId, string status, Exception exception);

    [LoggerMessage(2108, LogLevel.Information, "Call {CallId}: its end ({Status}) stored at attempt {Attempt} ({Outcome})")]
    public static partial void FinalWriteStored(ILogger logger, Guid callId, string status, int attempt, string outcome);

    [LoggerMessage(2109, LogLevel.Error, "Call {CallId}: its end ({Status}) was never stored here; the node's next owner or reconcile ends it")]
    public static partial void FinalWriteAbandoned(ILogger logger, Guid callId, string status);

    [LoggerMessage(2110, LogLevel.Warning, "Call {CallId}: its end ({Status}) written over stored status {Stored} (version {StoredVersion}, {Expected} expected: an earlier write's answer was lost)")]
    public static partial void EndWrittenOver(ILogger logger, Guid callId, string status, string stored, int expected, int storedVersion);

    [LoggerMessage(2111, LogLevel.Warning, "Call {CallId}: {Input} ignored: this session was forgotten (fenced) meanwhile")]
    public static partial void StaleInput(ILogger logger, Guid callId, string input);

    [LoggerMessage(2112, LogLevel.Warning, "Call {CallId}: {Count} commands (for {Input}) dropped: this session was forgotten (fenced) meanwhile")]
    public static partial void StaleEffects(ILogger logger, Guid callId, string input, int count);

    [LoggerMessage(2113, LogLevel.Warning, "Call {CallId}: leg {CallUuid} parked, but its login cannot be checked now; checking again")]
    public static partial void ParkUnchecked(ILogger logger, Guid callId, string callUuid, Exception exception);

    [LoggerMessage(2114, LogLevel.Warning, "Call {CallId}: storing step {Status} failed; it is written before the call's next write")]
    public static partial void StepDeferred(ILogger logger, Guid callId, string status, Exception exception);

    [LoggerMessage(2116, LogLevel.Warning, "Call {CallId}: storing its end ({Status}) takes longer than {Seconds} s; its legs are hung up meanwhile and the write finishes apart")]
    public static partial void FinalWriteSlow(ILogger logger, Guid callId, string status, double seconds);

    [LoggerMessage(2115, LogLevel.Information, "Call {CallId}: step {Status} of {At:O} stored late ({How})")]
    public static partial void StepCaughtUp(ILogger logger, Guid callId, string status, DateTime at, string how);

    [LoggerMessage(2117, LogLevel.Warning, "Call {CallId}: leg {CallUuid} was adopted with login {Login}, which PostgreSQL holds consumed by another leg: hung up")]
    public static partial void ClaimRefused(ILogger logger, Guid callId, string callUuid, string login);

    [LoggerMessage(2118, LogLevel.Warning, "Call {CallId}: leg {CallUuid}'s login cannot be marked used now; trying again")]
    public static partial void ClaimUnstored(ILogger logger, Guid callId, string callUuid, Exception exception);
}
