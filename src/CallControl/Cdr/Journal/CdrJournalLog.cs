namespace CallControl.Cdr.Journal;

/// <summary>The CDR journal's log messages (CDRs: 5100s).</summary>
internal static partial class CdrJournalLog
{
    [LoggerMessage(5100, LogLevel.Warning, "CDR journal: PostgreSQL is unreachable; spooling CDRs to {Path}")]
    public static partial void Spooling(ILogger logger, string path);

    [LoggerMessage(5101, LogLevel.Information, "CDR journal: {Count} CDRs replayed into PostgreSQL; journal truncated")]
    public static partial void Drained(ILogger logger, int count);

    [LoggerMessage(5102, LogLevel.Warning, "CDR journal: {Count} CDRs left by an earlier run in {Path}; they will be replayed")]
    public static partial void Recovered(ILogger logger, int count, string path);

    [LoggerMessage(5103, LogLevel.Error, "CDR journal: damaged entry at offset {Offset} of {Path} skipped")]
    public static partial void DamagedEntry(ILogger logger, long offset, string path);

    [LoggerMessage(5105, LogLevel.Error, "CDR journal: PostgreSQL refused the journaled CDR of leg {CallUuid}; dropped from the journal")]
    public static partial void EntryRefused(ILogger logger, Guid callUuid, Exception exception);

    [LoggerMessage(5104, LogLevel.Error, "CDR journal: replay failed; retrying")]
    public static partial void ReplayFailed(ILogger logger, Exception exception);
}
