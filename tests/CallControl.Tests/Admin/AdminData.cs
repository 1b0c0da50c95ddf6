using System.Net.Http.Headers;
using System.Text.Json;
using CallControl.Admin;
using CallControl.Auth;
using CallControl.Tests.Support;
using Dapper;
using Microsoft.Extensions.Options;

namespace CallControl.Tests.Admin;

/// <summary>Seeds calls with every column the admin filters read, and talks to a test host mapping the admin API.</summary>
internal sealed class AdminData(DatabaseFixture db)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string InsertSql = """
        INSERT INTO calls (id, room_id, caller, callee, callee_number, media, status, answered_via, fallback_reason,
                           created_at, ringing_at, answered_at, ended_at, duration, billsec, hangup_cause,
                           freeswitch_node, pstn_dialed_at)
        VALUES (@Id, @RoomId, @Caller, @Callee, @CalleeNumber, 'audio', @Status, @AnsweredVia, @FallbackReason,
                @CreatedAt, @RingingAt, @AnsweredAt, @EndedAt, @Duration, @Billsec, @HangupCause,
                @FreeswitchNode, @PstnDialedAt)
        """;

    public static Task<TestWebHost> StartHostAsync(DatabaseFixture db) =>
        TestWebHost.StartAsync(db.ConnectionString, e => e.MapAdminApi());

    public static string Token(string? role) =>
        new TokenService(Options.Create(new AuthOptions { SigningKey = TestWebHost.SigningKey }), TimeProvider.System)
            .Mint("u-" + Guid.NewGuid().ToString("N")[..8], role, TimeSpan.FromHours(1));

    public static HttpRequestMessage Get(string path, string? role = AuthPolicies.AdminRole)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(role));
        }

        return request;
    }

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A room (for the foreign key) whose id is unique; the fixture makes it with one ringing call of its own.</summary>
    public async Task<string> RoomAsync() => (await RoomWithCallAsync()).Room;

    public async Task<(string Room, Guid FirstCall)> RoomWithCallAsync()
    {
        var call = await db.NewCallAsync();
        return (call.RoomId, call.Id);
    }

    public async Task<Guid> InsertAsync(SeedCall call)
    {
        var id = Guid.NewGuid();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(InsertSql, new
        {
            Id = id, call.RoomId, call.Caller, call.Callee, call.CalleeNumber, call.Status, call.AnsweredVia,
            call.FallbackReason, call.CreatedAt, call.RingingAt, call.AnsweredAt, call.EndedAt, call.Duration,
            call.Billsec, call.HangupCause, call.FreeswitchNode, call.PstnDialedAt,
        });
        return id;
    }
}

internal sealed record SeedCall
{
    public required string RoomId { get; init; }
    public required string Caller { get; init; }
    public string? Callee { get; init; }
    public string? CalleeNumber { get; init; }
    public string Status { get; init; } = "completed";
    public string? AnsweredVia { get; init; }
    public string? FallbackReason { get; init; }
    public required DateTime CreatedAt { get; init; }
    public DateTime? RingingAt { get; init; }
    public DateTime? AnsweredAt { get; init; }
    public DateTime? EndedAt { get; init; }
    public int? Duration { get; init; }
    public int? Billsec { get; init; }
    public string? HangupCause { get; init; }
    public string? FreeswitchNode { get; init; }
    public DateTime? PstnDialedAt { get; init; }
}

internal sealed record PageDto(List<CallDto> Items, string? NextCursor);

internal sealed record CallDto(Guid Id, string Caller, string Status, DateTime CreatedAt, List<LegDto>? Legs);

internal sealed record LegDto(Guid LegUuid, string? Role);

internal sealed record StatsBucketDto(
    DateTime BucketStart, long Calls, long Answered, long Completed, long Busy, long Refused, long Canceled, long NoAnswer,
    long Failed, long Offline, long FallbackAttempts, long FallbackSuccesses, double? Asr, double? Acd, double? Pdd,
    double? SetupP50, double? SetupP95);
