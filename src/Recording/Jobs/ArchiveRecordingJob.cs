using System.Buffers.Binary;
using CallControl.Recording.Archive;
using CallControl.Recording.Data;
using CallControl.Recording.Transcoding;
using CallControl.Recording.Wav;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Recording.Jobs;

/// <summary>
/// Archives one finished recording: reads its WAV from the recordings folder, checks it, transcodes it to
/// Ogg/Opus, stores it under a key derived from its ids, reads the stored copy back (size, SHA-256), records it in
/// one guarded UPDATE, and only then tells the status sink and deletes the WAV. Idempotent: an archived recording
/// is left alone, and a run after a crash anywhere in the middle stores the same bytes under the same key again (or,
/// past the UPDATE, tells the sink again and deletes the WAV: the sink hears of an archive at least once).
/// A file that is not a valid WAV fails at once (kept for inspection); other failures are retried by
/// <see cref="ArchiveRetryFilter"/> and mark the recording failed after the last attempt.
/// </summary>
public sealed class ArchiveRecordingJob(
    RecordingRepository recordings,
    IArchiveStore store,
    OggOpusTranscoder transcoder,
    IOptions<RecordingOptions> options,
    TimeProvider time,
    ILogger<ArchiveRecordingJob> logger,
    IRecordingStatusSink? sink = null)
{
    public const string ArchiveFormat = "ogg/opus";

    private readonly RecordingOptions _options = options.Value;

    /// <summary>Attempts in all: the first plus the configured retries.</summary>
    public int MaxAttempts => Math.Max(0, _options.Archive.Retries) + 1;

    // Hangfire's global AutomaticRetry is switched off here: ArchiveRetryFilter retries with the configured policy.
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail, LogEvents = false)]
    [JobDisplayName("Archive recording {0}")]
    public async Task RunAsync(Guid recordingId, CancellationToken cancellationToken)
    {
        var row = await recordings.GetAsync(recordingId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            Log.UnknownRecording(logger, recordingId);
            return;
        }
        switch (row.State)
        {
            case RecordingStates.Archived:
                // A crash after the UPDATE may have left the source behind: finish that step.
                await FinishAfterArchivedAsync(row, cancellationToken).ConfigureAwait(false);
                Log.NothingToDo(logger, recordingId, row.State);
                return;
            case RecordingStates.Purged:
                Log.NothingToDo(logger, recordingId, row.State);
                return;
            case RecordingStates.Recording or RecordingStates.Paused:
                Log.NotFinished(logger, recordingId, row.State);
                return;
        }

        var attempt = await recordings.BeginAttemptAsync(recordingId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (attempt is not int attemptNumber)
        {
            Log.NothingToDo(logger, recordingId, row.State);
            return;
        }

        try
        {
            await ArchiveAsync(row, attemptNumber, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidRecordingException ex)
        {
            Log.InvalidRecording(logger, recordingId, ex.Message);
            await FailAsync(row, ex.Message).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AttemptFailed(logger, recordingId, attemptNumber, MaxAttempts, ex);
            if (attemptNumber >= MaxAttempts)
            {
                var reason = $"Archive failed after {attemptNumber} attempts: {ex.GetType().Name}: {ex.Message}";
                Log.GaveUp(logger, recordingId, attemptNumber, reason);
                await FailAsync(row, reason).ConfigureAwait(false);
            }
            throw;
        }
    }

    private async Task ArchiveAsync(RecordingRow row, int attempt, CancellationToken cancellationToken)
    {
        var source = RecordingSource.Resolve(_options.Folder, row.RelativePath);
        var sourceSize = new FileInfo(source).Length;
        var key = ArchiveKeys.ForRecording(row.RoomId, row.CallId, row.Id);
        var work = WorkFile(row.Id);
        try
        {
            TranscodeResult result;
            await using (var output = new FileStream(work, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = transcoder.Transcode(source, output, SerialOf(row.Id), cancellationToken);
            }

            var location = await store.PutAsync(key, work, FileSystemArchiveStore.OggOpusContentType, cancellationToken).ConfigureAwait(false);
            var stored = await store.ReadBackAsync(location, cancellationToken).ConfigureAwait(false);
            if (stored is null || stored.Size != result.OutputBytes || !string.Equals(stored.Sha256, result.Sha256, StringComparison.Ordinal))
            {
                throw new ArchiveVerificationException(location, result.OutputBytes, result.Sha256, stored);
            }

            var copy = new ArchivedCopy(store.Kind, location, ArchiveFormat, stored.Size, stored.Sha256, result.DurationMs, sourceSize);
            if (!await recordings.MarkArchivedAsync(row.Id, copy, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                // Another run committed first; it stored the same bytes under the same key.
                Log.ArchivedByOtherRun(logger, row.Id);
                return;
            }
            Log.Archived(logger, row.Id, location, stored.Size, result.DurationMs, attempt);
            // The sink before the delete: a WAV still beside an archived row means this run did not finish, and the
            // re-run tells the sink again (at least once) before it deletes the WAV.
            await TellSinkAsync(row.Id, s => s.ArchivedAsync(row.Id, row.CallId, location, CancellationToken.None)).ConfigureAwait(false);
            DeleteSource(row.Id, source);
        }
        finally
        {
            File.Delete(work);
        }
    }

    private async Task FinishAfterArchivedAsync(RecordingRow row, CancellationToken cancellationToken)
    {
        string source;
        try
        {
            source = RecordingSource.Resolve(_options.Folder, row.RelativePath);
        }
        catch (Exception ex) when (ex is InvalidRecordingException or IOException)
        {
            return;
        }
        if (File.Exists(source) && row.ArchiveLocation is { } location
            && await store.ReadBackAsync(location, cancellationToken).ConfigureAwait(false) is { } stored
            && stored.Sha256 == row.ArchiveSha256)
        {
            await TellSinkAsync(row.Id, s => s.ArchivedAsync(row.Id, row.CallId, location, CancellationToken.None)).ConfigureAwait(false);
            DeleteSource(row.Id, source);
        }
    }

    /// <summary>Marks the recording failed and tells the sink. Not cancelled with the job: the outcome must be kept.</summary>
    private async Task FailAsync(RecordingRow row, string reason)
    {
        if (await recordings.MarkFailedAsync(row.Id, reason, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false))
        {
            await TellSinkAsync(row.Id, s => s.FailedAsync(row.Id, row.CallId, reason, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private async Task TellSinkAsync(Guid recordingId, Func<IRecordingStatusSink, Task> tell)
    {
        if (sink is null)
        {
            return;
        }
        try
        {
            await tell(sink).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The state is committed; a sink's own failure must not fail (and so re-run) the archive.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SinkFailed(logger, recordingId, ex);
        }
    }

    private void DeleteSource(Guid recordingId, string source)
    {
        try
        {
            File.Delete(source);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.SourceNotDeleted(logger, recordingId, source, ex);
        }
    }

    private string WorkFile(Guid recordingId)
    {
        var folder = string.IsNullOrEmpty(_options.Archive.WorkFolder)
            ? Path.Combine(Path.GetTempPath(), "callcontrol-archive")
            : _options.Archive.WorkFolder;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{recordingId:N}.{Guid.NewGuid():N}.ogg");
    }

    /// <summary>The Ogg serial number from the recording id, so a re-run writes byte-identical files.</summary>
    private static uint SerialOf(Guid recordingId)
    {
        Span<byte> bytes = stackalloc byte[16];
        recordingId.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }
}
