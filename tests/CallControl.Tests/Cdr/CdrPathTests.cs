using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallControl.Data;
using CallControl.Tests.Support;
using FreeSwitchSim;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Cdr;

/// <summary>
/// Both CDR paths end to end: the service in-process on real PostgreSQL, the simulator posting mod_json_cdr exactly
/// as FreeSWITCH does, and captured POSTs replayed. Each test uses fresh leg UUIDs.
/// </summary>
[Collection(ServiceHostGroup.Name)]
public sealed class CdrPathTests
{
    [Fact]
    public async Task Room_call_hangup_writes_one_leg_row_from_both_paths()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            Hostname = "node-a", JsonCdrUser = ServiceHost.CallbackUser, JsonCdrPassword = ServiceHost.CallbackSecret,
        });
        await using var service = await ServiceHost.StartAsync(new Dictionary<string, int> { ["node1"] = sim.EslPort });
        sim.Switch.Options.JsonCdrUrl = service.CdrUrl;
        await ServiceHostWait.UntilAsync(() => service.Nodes.AnyConnected, "node1 connected");

        Assert.True(await sim.Switch.LoginAsync("1000", "1234", CancellationToken.None));
        var uuid = sim.Switch.PlaceCall("1000", "room-x");
        await ServiceHostWait.UntilAsync(() => sim.Switch.Channel(uuid) is { } c && c.Variables.ContainsKey("room_id"), "the leg to reach the room");
        sim.Switch.Hangup(uuid);
        await sim.Switch.WhenCdrsSettledAsync();

        var leg = await ServiceHostWait.UntilAsync(() => service.Legs.GetAsync(Guid.Parse(uuid)), l => l?.Source == "both", "the row from both paths");

        Assert.Equal(1, await ServiceHostDatabase.LegRowCountAsync(service.Database, Guid.Parse(uuid)));
        // The caller hung up its parked, unanswered leg: FreeSWITCH's cause for that is ORIGINATOR_CANCEL.
        Assert.Equal("ORIGINATOR_CANCEL", leg!.HangupCause);
        Assert.Equal("node1", leg.FreeswitchNode); // only the event path knows our node name
        Assert.NotNull(leg.JsonCdr);                // only the json_cdr path has the document
        Assert.NotNull(leg.StartAt);
        Assert.NotNull(leg.EndAt);
        Assert.Contains("\"room_id\": \"x\"", leg.Variables, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_path_alone_writes_the_row_when_no_cdr_is_posted()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions { Hostname = "node-b" });
        await using var service = await ServiceHost.StartAsync(new Dictionary<string, int> { ["node1"] = sim.EslPort });
        await ServiceHostWait.UntilAsync(() => service.Nodes.AnyConnected, "node1 connected");

        Assert.True(await sim.Switch.LoginAsync("1001", "1234", CancellationToken.None));
        var uuid = sim.Switch.PlaceCall("1001", "room-y");
        await ServiceHostWait.UntilAsync(() => sim.Switch.Channel(uuid) is { } c && c.Variables.ContainsKey("room_id"), "the leg to reach the room");
        // The service ends the leg itself, with a cause of its choosing.
        Assert.True((await service.Nodes.Commands("node1")!.UuidKillAsync(uuid, "USER_BUSY")).Ok);

        var leg = await ServiceHostWait.UntilAsync(() => service.Legs.GetAsync(Guid.Parse(uuid)), l => l is not null, "the row from the event");

        Assert.Equal("event", leg!.Source);
        Assert.Equal("USER_BUSY", leg.HangupCause);
        Assert.Null(leg.JsonCdr);
    }

    [Fact]
    public async Task Cdr_posted_while_the_event_path_is_down_is_stored()
    {
        // The service steers no node, so no CHANNEL_HANGUP_COMPLETE can reach it: mod_json_cdr alone must do.
        await using var service = await ServiceHost.StartAsync();
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            Hostname = "node-c", JsonCdrUrl = service.CdrUrl, JsonCdrUser = ServiceHost.CallbackUser, JsonCdrPassword = ServiceHost.CallbackSecret,
        });

        Assert.True(await sim.Switch.LoginAsync("1002", "1234", CancellationToken.None));
        var uuid = sim.Switch.PlaceCall("1002", "room-z");
        await ServiceHostWait.UntilAsync(() => sim.Switch.Channel(uuid) is { } c && c.Variables.ContainsKey("room_id"), "the leg to reach the room");
        sim.Switch.Hangup(uuid);
        await sim.Switch.WhenCdrsSettledAsync();

        var leg = await service.Legs.GetAsync(Guid.Parse(uuid));
        Assert.NotNull(leg);
        Assert.Equal("json_cdr", leg.Source);
        Assert.Equal("ORIGINATOR_CANCEL", leg.HangupCause);
        Assert.Null(leg.FreeswitchNode);
    }

    [Fact]
    public async Task Cdr_posted_after_the_writer_stopped_is_503_so_freeswitch_retries_it()
    {
        await using var service = await ServiceHost.StartAsync();
        var (uuid, body) = FreshCapturedCdr("caps-v3-002.post.txt");
        await service.Services.GetRequiredService<CallControl.Cdr.CdrWriter>().DisposeAsync();

        using var response = await PostAsync(service, uuid, body, ServiceHost.CallbackSecret);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Null(await service.Legs.GetAsync(uuid));
    }

    [Fact]
    public async Task Same_captured_cdr_posted_twice_is_one_row()
    {
        await using var service = await ServiceHost.StartAsync();
        var (uuid, body) = FreshCapturedCdr("caps-v3-002.post.txt");

        using var first = await PostAsync(service, uuid, body, ServiceHost.CallbackSecret);
        var stored = await service.Legs.GetAsync(uuid);
        using var second = await PostAsync(service, uuid, body, ServiceHost.CallbackSecret);
        var again = await service.Legs.GetAsync(uuid);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, await ServiceHostDatabase.LegRowCountAsync(service.Database, uuid));
        Assert.Equal("json_cdr", again!.Source);
        Assert.Equal(4, again.Billsec);
        Assert.Equal("sofia/external/bob@127.0.0.1:5072", again.ChannelName);
        Assert.Equal(stored! with { UpdatedAt = default }, again with { UpdatedAt = default });
    }

    [Fact]
    public async Task Cdr_with_a_wrong_secret_is_401_and_writes_nothing()
    {
        await using var service = await ServiceHost.StartAsync();
        var (uuid, body) = FreshCapturedCdr("caps-v3-001.post.txt");

        using var wrong = await PostAsync(service, uuid, body, "not-the-secret");
        using var none = await PostAsync(service, uuid, body, secret: null);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(0, await ServiceHostDatabase.LegRowCountAsync(service.Database, uuid));
    }

    [Fact]
    public async Task Malformed_cdr_is_400_and_writes_nothing()
    {
        await using var service = await ServiceHost.StartAsync();
        var (uuid, body) = FreshCapturedCdr("caps-v3-001.post.txt");

        using var truncated = await PostAsync(service, uuid, body[..(body.Length / 2)], ServiceHost.CallbackSecret);
        using var mismatch = await PostAsync(service, Guid.NewGuid(), body, ServiceHost.CallbackSecret);

        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Equal(0, await ServiceHostDatabase.LegRowCountAsync(service.Database, uuid));
    }

    /// <summary>A captured POST body with its leg UUID replaced by a fresh one, so reruns never see an old row.</summary>
    private static (Guid Uuid, byte[] Body) FreshCapturedCdr(string name)
    {
        var post = Captures.JsonCdrPost(name);
        var uuid = Guid.NewGuid();
        var text = Encoding.UTF8.GetString(post.Body).Replace(post.Uuid, uuid.ToString(), StringComparison.Ordinal);
        return (uuid, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>POSTs as mod_json_cdr does: ?uuid=, form content type over a JSON body, basic auth, its User-Agent.</summary>
    private static async Task<HttpResponseMessage> PostAsync(ServiceHost service, Guid uuid, byte[] body, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/fs/cdr?uuid={uuid}");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.UserAgent.ParseAdd("freeswitch-json/1.0");
        if (secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ServiceHost.CallbackUser}:{secret}")));
        }

        return await service.Http.SendAsync(request);
    }
}
