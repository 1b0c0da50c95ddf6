using System.Text;
using CallControl.Auth;
using CallControl.Cdr.Query;
using CallControl.Data;
using CallControl.Health;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace CallControl.Admin;

/// <summary>
/// <c>/api/admin</c>: CDR queries, CSV export and outcome analytics, for the <c>admin</c> role only (anonymous 401,
/// other users 403). Bad filters are 400 Problem Details whose <c>errors</c> name the parameter.
/// </summary>
public static class AdminApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The longest stats range per bucket size: a quarter by hour, a bit over a year by day.</summary>
    public static TimeSpan MaxStatsRange(string bucket) => bucket == "day" ? TimeSpan.FromDays(400) : TimeSpan.FromDays(92);

    /// <summary>Maps the admin endpoints.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin").RequireAuthorization(AuthPolicies.Admin).WithTags("Admin").RequiresDatabase();
        group.MapGet("/calls", ListAsync).WithName("AdminListCalls");
        group.MapGet("/calls.csv", ExportAsync).WithName("AdminExportCalls");
        group.MapGet("/calls/{id:guid}", DetailAsync).WithName("AdminCallDetail");
        group.MapGet("/stats", StatsAsync).WithName("AdminStats");
        return endpoints;
    }

    internal static async Task<Results<Ok<CallPage>, ValidationProblem>> ListAsync(
        HttpRequest request, [FromKeyedServices(DataServiceCollectionExtensions.AdminDataSourceKey)] NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = CallFilter.Parse(request.Query, errors);
        var limit = CallFilter.Integer(request.Query, "limit", 1, MaxLimit, errors) ?? DefaultLimit;
        var includeLegs = CallFilter.OneOf(request.Query, "includeLegs", ["true", "false"], errors) == "true";
        CallCursor? after = null;
        if (CallFilter.Text(request.Query, "cursor") is { } text && errors.Count == 0)
        {
            after = CallCursor.Decode(text, filter);
            if (after is null)
            {
                errors["cursor"] = ["Not a cursor of this query (its filters or sort differ, or it is malformed)."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await new CallQuery(dataSource).PageAsync(filter, after, limit, includeLegs, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<Results<Ok<CallDetail>, NotFound>> DetailAsync(
        Guid id, [FromKeyedServices(DataServiceCollectionExtensions.AdminDataSourceKey)] NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        await new CallQuery(dataSource).DetailAsync(id, cancellationToken).ConfigureAwait(false) is { } detail
            ? TypedResults.Ok(detail)
            : TypedResults.NotFound();

    internal static async Task<Results<EmptyHttpResult, ValidationProblem>> ExportAsync(
        HttpContext context, [FromKeyedServices(DataServiceCollectionExtensions.AdminDataSourceKey)] NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = CallFilter.Parse(context.Request.Query, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var response = context.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = "attachment; filename=calls.csv";
        // No byte-order mark: RFC 4180 readers take the charset from the media type.
        var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 16 * 1024);
        await using (writer.ConfigureAwait(false))
        {
            await new CallQuery(dataSource).WriteCsvAsync(filter, writer, cancellationToken).ConfigureAwait(false);
        }

        return TypedResults.Empty;
    }

    internal static async Task<Results<Ok<IReadOnlyList<StatsBucket>>, ValidationProblem>> StatsAsync(
        HttpRequest request, [FromKeyedServices(DataServiceCollectionExtensions.AdminDataSourceKey)] NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var from = CallFilter.Instant(request.Query, "from", errors);
        var to = CallFilter.Instant(request.Query, "to", errors);
        var bucket = CallFilter.OneOf(request.Query, "bucket", ["hour", "day"], errors) ?? "hour";
        if (from is null && !errors.ContainsKey("from"))
        {
            errors["from"] = ["'from' is required."];
        }

        if (to is null && !errors.ContainsKey("to"))
        {
            errors["to"] = ["'to' is required."];
        }

        if (from > to)
        {
            errors["from"] = ["'from' is after 'to'."];
        }
        else if (to - from > MaxStatsRange(bucket))
        {
            errors["to"] = [$"At most {MaxStatsRange(bucket).TotalDays:F0} days of {bucket} buckets in one request."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await new CallQuery(dataSource).StatsAsync(from!.Value, to!.Value, bucket, cancellationToken).ConfigureAwait(false));
    }
}
