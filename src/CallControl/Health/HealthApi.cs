using CallControl.Switch;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallControl.Health;

/// <summary>
/// <c>/health/live</c>: 200 while the process runs. <c>/health/ready</c>: 200 when PostgreSQL answers (and is not
/// known unreachable by <see cref="DatabaseWatch"/>) and at least one
/// FreeSWITCH node is connected, authenticated and steered by this instance (it holds the node's lease; a standby is not
/// ready); otherwise 503 with the same JSON body saying what is missing.
/// </summary>
public static class HealthApi
{
    /// <summary>Maps both endpoints (anonymous: load balancers and orchestrators call them).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", () => TypedResults.Ok(new { status = "live" }));
        group.MapGet("/ready", ReadyAsync);
        return endpoints;
    }

    internal static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> ReadyAsync(
        DatabaseProbe database,
        DatabaseWatch watch,
        NodePool nodes,
        CancellationToken cancellationToken)
    {
        // While the watch knows PostgreSQL is unreachable, say so at once rather than wait out another ping.
        var databaseError = watch.Unreachable is { } outage
            ? $"unreachable since {outage.Since:O}: {outage.Reason}"
            : await database.CheckAsync(cancellationToken).ConfigureAwait(false);
        var databaseOk = databaseError is null;
        var states = nodes.States;
        var missing = new List<string>();
        if (!databaseOk)
        {
            missing.Add("postgresql");
        }

        if (!states.Any(s => s.Connected))
        {
            missing.Add(states.Count == 0 ? "no FreeSWITCH node is configured" : "no FreeSWITCH node is connected");
        }
        else if (!states.Any(s => s.Connected && s.Steering))
        {
            // A standby: another instance holds every connected node's lease.
            missing.Add("no connected FreeSWITCH node is steered by this instance");
        }

        var body = new Readiness(
            missing.Count == 0 ? "ready" : "not ready",
            missing,
            new DatabaseHealth(databaseOk, databaseError),
            [.. states.Select(s => new NodeHealth(s.Name, s.Connected, s.ReconnectCount, s.SessionCount, s.IdleCpu, s.MaxSessions, s.LastHeartbeatAt, s.LastError))]);
        return missing.Count == 0 ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>The readiness answer: status, what is missing, the database, each node.</summary>
public sealed record Readiness(string Status, IReadOnlyList<string> Missing, DatabaseHealth Database, IReadOnlyList<NodeHealth> Nodes);

/// <summary>Whether PostgreSQL answered, and its error otherwise.</summary>
public sealed record DatabaseHealth(bool Ok, string? Error);

/// <summary>One node's connection and last HEARTBEAT figures.</summary>
public sealed record NodeHealth(string Name, bool Connected, int Reconnects, int? SessionCount, double? IdleCpu, int? MaxSessions, DateTimeOffset? LastHeartbeatAt, string? LastError);
