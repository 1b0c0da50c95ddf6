using CallControl.Recording.Wav;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace CallControl.Recording.Jobs;

/// <summary>
/// The archive job's retry policy as a Hangfire state filter: a failed <see cref="ArchiveRecordingJob"/> is
/// scheduled again after <see cref="ArchiveOptions.RetryDelay"/> while retries remain, except for an
/// <see cref="InvalidRecordingException"/> (retrying cannot fix a bad file). After the last retry the job stays
/// Failed; the job itself has marked the recording failed by then (it counts attempts in the row). Registered with
/// <see cref="RecordingJobs.UseRecordingArchiveFilters"/>.
/// </summary>
public sealed class ArchiveRetryFilter(IOptions<RecordingOptions> options) : IElectStateFilter
{
    /// <summary>The job parameter holding how many retries were scheduled.</summary>
    public const string RetryCountParameter = "ArchiveRetryCount";

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is not FailedState failed
            || context.BackgroundJob.Job?.Type != typeof(ArchiveRecordingJob)
            || failed.Exception is InvalidRecordingException)
        {
            return;
        }
        var archive = options.Value.Archive;
        var retry = context.GetJobParameter<int>(RetryCountParameter, allowStale: true) + 1;
        if (retry > archive.Retries)
        {
            return;
        }
        context.SetJobParameter(RetryCountParameter, retry);
        var delay = archive.RetryDelay(retry);
        context.CandidateState = new ScheduledState(delay)
        {
            Reason = $"Archive retry {retry} of {archive.Retries} in {delay}: {failed.Exception?.GetType().Name}: {failed.Exception?.Message}",
        };
    }
}
