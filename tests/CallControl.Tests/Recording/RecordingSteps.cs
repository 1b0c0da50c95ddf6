using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Rooms;
using CallControl.Tests.Scenarios;
using CallControl.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallControl.Tests.Recording;

/// <summary>An answered app-to-app call in a room created with record: true.</summary>
internal sealed record RecordedCall(string Caller, string Callee, RoomAccess Room, string CallerLeg, string CalleeLeg)
{
    public Guid CallId => Room.CallId;
}

/// <summary>A recordings row as the tests read it.</summary>
internal sealed record RecordingRow
{
    public Guid Id { get; init; }
    public Guid CallId { get; init; }
    public string RoomId { get; init; } = "";
    public string? FreeswitchNode { get; init; }
    public Guid? LegUuid { get; init; }
    public string NodePath { get; init; } = "";
    public string RelativePath { get; init; } = "";
    public string State { get; init; } = "";
    public DateTime? StoppedAt { get; init; }
    public long? DurationMs { get; init; }
    public DateTime? CallEndedAt { get; init; }
    public string? ArchiveJobId { get; init; }
    public string? ArchiveLocation { get; init; }
    public string? ArchiveFormat { get; init; }
    public long? ArchiveSizeBytes { get; init; }
    public int Attempts { get; init; }
    public string? FailureReason { get; init; }
}

internal static class RecordingSteps
{
    public static readonly TimeSpan ArchiveWait = TimeSpan.FromSeconds(60);

    /// <summary>Caller and callee in a record: true room, both legs in, the call answered (and so bridged).</summary>
    public static async Task<RecordedCall> AnsweredRecordedCallAsync(this RoomWorld world)
    {
        var (caller, callee) = (await world.AddUserAsync("rec-a"), await world.AddUserAsync("rec-b"));
        await using var calleeSignal = await world.ConnectSignalingAsync(callee);
        var alice = world.ClientFor(caller);
        var room = await alice.CreateRoomAsync(new { callee, record = true });
        await calleeSignal.UntilAsync("invite");
        var callerLeg = await world.EnterRoomAsync(room);
        var joined = await world.ClientFor(callee).JoinAsync(room.RoomId);
        var calleeLeg = await world.EnterRoomAsync(joined);
        await alice.UntilStatusAsync(room.RoomId, "answered");
        return new RecordedCall(caller, callee, room, callerLeg, calleeLeg);
    }

    public static async Task<IReadOnlyList<RecordingRow>> RecordingsAsync(this RoomWorld world, Guid callId)
    {
        await using var connection = await world.Database.OpenConnectionAsync();
        var rows = await connection.QueryAsync<RecordingRow>(
            "SELECT * FROM recordings WHERE call_id = @callId ORDER BY started_at, node_path", new { callId });
        return [.. rows];
    }

    /// <summary>Waits until the call has <paramref name="count"/> recordings, all in one of <paramref name="states"/>.</summary>
    public static async Task<IReadOnlyList<RecordingRow>> UntilRecordingsAsync(
        this RoomWorld world, Guid callId, int count, string[] states, TimeSpan? timeout = null)
    {
        try
        {
            return await ServiceHostWait.UntilAsync(
                () => world.RecordingsAsync(callId),
                rows => rows.Count == count && rows.All(r => states.Contains(r.State)),
                $"{count} recording(s) of call {callId} in {string.Join('|', states)}",
                timeout ?? RoomSteps.Wait);
        }
        catch (TimeoutException timedOut)
        {
            // Say where each recording stands, and what Hangfire did with its archive job, not just "timed out".
            var rows = await world.RecordingsAsync(callId);
            var monitor = world.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
            var described = rows.Select(r =>
            {
                var job = r.ArchiveJobId is { } id && int.TryParse(id, out _) ? monitor.JobDetails(id) : null;
                var history = job is null ? "no job" : string.Join(" > ", job.History.Select(h => $"{h.StateName}({h.Reason})").Reverse());
                return $"{r.Id}: state={r.State} attempts={r.Attempts} failure={r.FailureReason} job={r.ArchiveJobId} [{history}]";
            });
            await using var connection = await world.Database.OpenConnectionAsync();
            var call = await connection.QuerySingleOrDefaultAsync<(string Status, DateTime? EndedAt)>(
                "SELECT status, ended_at FROM calls WHERE id = @callId", new { callId });
            var ended = string.Join(",", rows.Select(r => r.CallEndedAt?.ToString("O") ?? "null"));
            throw new TimeoutException(
                $"{timedOut.Message}; call: status={call.Status} ended_at={call.EndedAt:O}; rows' call_ended_at: {ended}; rows: {string.Join("; ", described)}",
                timedOut);
        }
    }

    public static async Task<string?> CallRecordingIdAsync(this RoomWorld world, Guid callId)
    {
        await using var connection = await world.Database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<string?>("SELECT recording_id FROM calls WHERE id = @callId", new { callId });
    }

    public static Task<HttpResponseMessage> RecordingActionAsync(this HttpClient client, Guid callId, object body) =>
        client.PostAsJsonAsync($"/api/calls/{callId}/recording", body, RoomSteps.Json);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    /// <summary>The arguments of every <c>uuid_record</c> the simulated node ran for <paramref name="leg"/>.</summary>
    public static IReadOnlyList<string> UuidRecordCommands(this RoomWorld world, string leg) =>
        [.. world.Events.Where(e => e.Name == "API" && e.Get("API-Command") == "uuid_record"
                                    && (e.Get("API-Command-Argument") ?? "").StartsWith(leg, StringComparison.Ordinal))
            .Select(e => e.Get("API-Command-Argument")!)];

    /// <summary>Runs <paramref name="tool"/> and returns its exit code and standard output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output + await error);
    }
}
