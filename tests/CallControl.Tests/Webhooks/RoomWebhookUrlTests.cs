using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallControl.Data;
using CallControl.Tests.Scenarios;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Webhooks;

/// <summary>The room API's <c>webhookUrl</c>: validated (400 naming the field, nothing created) and kept on the room.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class RoomWebhookUrlTests(RoomWorld world)
{
    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("/hooks/relative")]
    [InlineData("https://user:secret@example.com/hook")]
    [InlineData("not a url")]
    [InlineData("")]
    public async Task A_bad_webhook_url_is_a_400_naming_the_field_and_creates_nothing(string url)
    {
        var caller = await world.AddUserAsync("alice");
        var callee = await world.AddUserAsync("bob");

        using var response = await world.ClientFor(caller).PostAsJsonAsync("/api/rooms", new { callee, webhookUrl = url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("webhookUrl", out _));
        await using var connection = await world.Database.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM rooms WHERE caller_user_id = @caller", new { caller }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM calls WHERE caller = @caller", new { caller }));
    }

    [Fact]
    public async Task A_valid_webhook_url_is_kept_on_the_room()
    {
        var caller = await world.AddUserAsync("alice");
        var callee = await world.AddUserAsync("bob");

        var room = await world.ClientFor(caller).CreateRoomAsync(new { callee, webhookUrl = "https://app.example.com/hooks/cc?tenant=7" });

        var stored = await world.Services.GetRequiredService<RoomStore>().GetAsync(room.RoomId);
        Assert.Equal("https://app.example.com/hooks/cc?tenant=7", stored!.WebhookUrl);
    }
}
