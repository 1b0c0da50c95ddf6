using System.Security.Claims;
using System.Text.Json;
using CallControl.Auth;
using CallControl.Health;
using CallControl.Switch;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallControl.Admin;

/// <summary>
/// <c>/api/admin/nodes</c>: each FreeSWITCH node's state (connection, which instance steers it, drain, HEARTBEAT load,
/// calls in progress), and <c>POST /api/admin/nodes/{name}/drain</c> / <c>DELETE</c> to drain and undrain. A draining
/// node gets no new rooms; its running calls go on. The drain is stored in PostgreSQL, so every instance honours it.
/// Admin role only (anonymous 401, other users 403).
/// </summary>
public static class NodesApi
{
    /// <summary>The largest drain body read (it is one boolean).</summary>
    private const int MaxBodyBytes = 1024;

    /// <summary>Maps the node endpoints.</summary>
    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/nodes").RequireAuthorization(AuthPolicies.Admin).WithTags("Admin").RequiresDatabase();
        group.MapGet("/", ListAsync).WithName("AdminListNodes");
        group.MapPost("/{name}/drain", DrainAsync).WithName("AdminDrainNode");
        group.MapDelete("/{name}/drain", UndrainAsync).WithName("AdminUndrainNode");
        return endpoints;
    }

    internal static async Task<Ok<IReadOnlyList<NodeView>>> ListAsync(
        NodePool nodes, NodeDrainStore store, IOptions<ClusterOptions> options, CancellationToken cancellationToken)
    {
        var draining = await store.DrainingAsync(cancellationToken).ConfigureAwait(false);
        var live = await store.LiveCallsAsync(cancellationToken).ConfigureAwait(false);
        var views = new List<NodeView>();
        foreach (var state in nodes.States.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase))
        {
            var owner = nodes.LeaseKey(state.Name) is { } key
                ? await store.OwnerAsync(key, cancellationToken).ConfigureAwait(false)
                : state.Steering ? options.Value.InstanceId : null;
            views.Add(new NodeView(
                state.Name,
                state.Connected,
                owner,
                state.Steering,
                draining.Contains(state.Name),
                NodeSelector.IsOverloaded(state, options.Value),
                state.SessionCount,
                state.MaxSessions,
                state.IdleCpu,
                state.LastHeartbeatAt,
                live.TryGetValue(state.Name, out var calls) ? calls : 0,
                state.ReconnectCount,
                state.LastError,
                state.VertoUrl));
        }

        return TypedResults.Ok<IReadOnlyList<NodeView>>(views);
    }

    internal static async Task<Results<Ok<DrainView>, ProblemHttpResult, ValidationProblem>> DrainAsync(
        string name, HttpRequest request, ClaimsPrincipal user, NodePool nodes, NodeDrainStore store,
        CancellationToken cancellationToken)
    {
        var (drain, error) = await ReadDrainAsync(request, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["drain"] = [error] });
        }

        return await SetAsync(name, drain, user, nodes, store, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<Results<Ok<DrainView>, ProblemHttpResult, ValidationProblem>> UndrainAsync(
        string name, ClaimsPrincipal user, NodePool nodes, NodeDrainStore store, CancellationToken cancellationToken) =>
        await SetAsync(name, false, user, nodes, store, cancellationToken).ConfigureAwait(false);

    private static async Task<Results<Ok<DrainView>, ProblemHttpResult, ValidationProblem>> SetAsync(
        string name, bool drain, ClaimsPrincipal user, NodePool nodes, NodeDrainStore store, CancellationToken cancellationToken)
    {
        // Only configured nodes: the name is compared, never stored or echoed unless it is one of them.
        var node = nodes.Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        if (node is null)
        {
            return TypedResults.Problem(
                "No FreeSWITCH node with this name is configured.",
                statusCode: StatusCodes.Status404NotFound,
                title: "No such node",
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["field"] = "name" });
        }

        await store.SetDrainingAsync(node, drain, user.FindFirstValue(AuthPolicies.SubjectClaim), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new DrainView(node, drain));
    }

    /// <summary>The body is empty (drain) or <c>{"drain": true|false}</c>; anything else names the field.</summary>
    private static async Task<(bool Drain, string? Error)> ReadDrainAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return (false, "The body is too large; send {\"drain\": true} or {\"drain\": false}.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return (true, null);
        }

        if (buffer.Length > MaxBodyBytes)
        {
            return (false, "The body is too large; send {\"drain\": true} or {\"drain\": false}.");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (false, "The body must be a JSON object.");
            }

            if (!document.RootElement.TryGetProperty("drain", out var value))
            {
                return (true, null);
            }

            return value.ValueKind switch
            {
                JsonValueKind.True => (true, null),
                JsonValueKind.False => (false, null),
                _ => (false, "drain must be true or false."),
            };
        }
        catch (JsonException)
        {
            return (false, "The body is not JSON.");
        }
    }
}

/// <summary>One node as the admin sees it. <see cref="Owner"/> is the instance holding the node's lease (null when
/// nobody steers it); <see cref="SteeredHere"/> says whether that is the instance that answered.</summary>
public sealed record NodeView(
    string Name,
    bool Connected,
    string? Owner,
    bool SteeredHere,
    bool Draining,
    bool Overloaded,
    int? Sessions,
    int? MaxSessions,
    double? IdleCpu,
    DateTimeOffset? LastHeartbeatAt,
    long ActiveCalls,
    int Reconnects,
    string? LastError,
    string? VertoUrl);

/// <summary>A node's drain after the change.</summary>
public sealed record DrainView(string Name, bool Draining);
