using System.Net;
using System.Text.Json;
using CallControl.Tests.Support;

namespace CallControl.Tests.Admin;

[Collection(DatabaseGroup.Name)]
public sealed class AdminValidationTests(DatabaseFixture db) : IAsyncLifetime
{
    private TestWebHost _host = null!;

    public async Task InitializeAsync() => _host = await AdminData.StartHostAsync(db);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/api/admin/calls")]
    [InlineData("/api/admin/calls.csv")]
    [InlineData("/api/admin/stats?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z")]
    public async Task Admin_endpoints_without_a_token_are_401_and_for_a_plain_user_403(string path)
    {
        using var anonymous = await _host.Http.SendAsync(AdminData.Get(path, role: null));
        using var user = await _host.Http.SendAsync(AdminData.Get(path, role: ""));
        using var admin = await _host.Http.SendAsync(AdminData.Get(path));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Theory]
    [InlineData("/api/admin/calls?status=ringin", "status")]
    [InlineData("/api/admin/calls?from=yesterday", "from")]
    [InlineData("/api/admin/calls?to=2026-01-01T00:00:00", "to")]
    [InlineData("/api/admin/calls?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/admin/calls?limit=0", "limit")]
    [InlineData("/api/admin/calls?limit=501", "limit")]
    [InlineData("/api/admin/calls?limit=ten", "limit")]
    [InlineData("/api/admin/calls?answeredVia=sip", "answeredVia")]
    [InlineData("/api/admin/calls?fallback=maybe", "fallback")]
    [InlineData("/api/admin/calls?calleeNumber=%2B1_%25", "calleeNumber")]
    [InlineData("/api/admin/calls?minDuration=-1", "minDuration")]
    [InlineData("/api/admin/calls?sort=up", "sort")]
    [InlineData("/api/admin/calls?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/admin/calls?room=rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr", "room")]
    [InlineData("/api/admin/calls?hangupCause=user_busy", "hangupCause")]
    [InlineData("/api/admin/calls?hangupCause=USER_BUSY%27%20OR%201=1", "hangupCause")]
    [InlineData("/api/admin/calls.csv?minDuration=x", "minDuration")]
    [InlineData("/api/admin/stats?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z&bucket=hour", "to")]
    [InlineData("/api/admin/stats?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=day", "to")]
    [InlineData("/api/admin/stats?from=2026-01-01T00:00:00Z&to=2026-01-02", "to")]
    [InlineData("/api/admin/calls.csv?status=nope", "status")]
    [InlineData("/api/admin/stats?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&bucket=week", "bucket")]
    [InlineData("/api/admin/stats?to=2026-01-02T00:00:00Z", "from")]
    [InlineData("/api/admin/stats?from=2026-01-03T00:00:00Z&to=2026-01-02T00:00:00Z", "from")]
    public async Task A_bad_parameter_is_400_problem_details_naming_it(string path, string parameter)
    {
        using var response = await _host.Http.SendAsync(AdminData.Get(path));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), body);
    }

    [Fact]
    public async Task A_cursor_from_a_query_with_other_filters_is_400()
    {
        var data = new AdminData(db);
        var caller = AdminData.Unique("cursor");
        var room = await data.RoomAsync();
        for (var i = 0; i < 3; i++)
        {
            await data.InsertAsync(new SeedCall { RoomId = room, Caller = caller, CreatedAt = DateTime.UtcNow.AddSeconds(-i) });
        }

        using var first = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls?caller={caller}&limit=1"));
        var cursor = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("nextCursor").GetString();
        using var same = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls?caller={caller}&limit=1&cursor={cursor}"));
        using var other = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls?caller={caller}&status=completed&limit=1&cursor={cursor}"));
        using var otherSort = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls?caller={caller}&sort=asc&limit=1&cursor={cursor}"));

        Assert.NotNull(cursor);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherSort.StatusCode);
    }
}
