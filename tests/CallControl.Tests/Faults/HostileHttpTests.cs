using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CallControl.Esl.Diagnostics;
using CallControl.Tests.Dtmf;
using CallControl.Tests.Scenarios;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CallControl.Tests.Faults;

/// <summary>
/// Hostile HTTP input against the running service (room world: simulator + PostgreSQL): oversized bodies, wrong JSON
/// types, and injection strings in every id, number and digits field. Each answer is a 4xx, and nothing changed: the
/// test users' rows are counted before and after, and no ESL command went to the node.
/// </summary>
[Collection(RoomWorldGroup.Name)]
public sealed class HostileHttpTests(RoomWorld world) : IDisposable
{
    /// <summary>What an attacker puts in an id, a number or digits.</summary>
    public static readonly string[] Injections =
    [
        "1000;hangup", "1000\r\napi status", "\r\napi uuid_kill all", "../../etc/passwd", "..%2F..%2Fadmin", "%0d%0aapi status",
        "' OR 1=1 --", "\"; DROP TABLE calls; --", "room-x@evil.example", "1000\0hangup", "{uuid}", "${sofia_contact(1000)}",
        "+1555" + new string('9', 300), new string('a', 5000), "\u202e1000", "1000 2000",
    ];

    private readonly MeterListener _commands = new();
    private long _commandsSent;

    /// <summary>
    /// The count of commands sent so far, once none has gone out for a second. The room world is shared: another test's
    /// call that is still ending (a hangup, a fallback) sends commands to the same node, and CI once counted five of
    /// them here. (Calls that stay up send nothing unless something happens to them.)
    /// </summary>
    private async Task<long> QuietBaselineAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = Interlocked.Read(ref _commandsSent);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            var now = Interlocked.Read(ref _commandsSent);
            if (now == last)
            {
                return now;
            }

            last = now;
        }

        throw new TimeoutException("the node kept receiving commands from other tests' calls for 30 s");
    }

    private void ListenToCommands()
    {
        // Every command the service writes to the node is timed on the ESL meter, tagged with the node (sim1 is the
        // room world's node and no other host's).
        _commands.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == EslMetrics.MeterName && i.Name == "esl.command.duration")
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _commands.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var t in tags)
            {
                if (t.Key == "esl.node" && Equals(t.Value, "sim1"))
                {
                    Interlocked.Increment(ref _commandsSent);
                }
            }
        });
        _commands.Start();
    }

    [Fact]
    public async Task Room_creation_with_hostile_fields_or_types_is_400_and_creates_nothing()
    {
        ListenToCommands();
        var caller = await world.AddUserAsync("mallory");
        var client = world.ClientFor(caller);
        var before = await CountsAsync(caller);
        var sent = await QuietBaselineAsync();
        var bodies = new List<string>();
        foreach (var bad in Injections)
        {
            bodies.Add(Json(new { callee = bad }));
            bodies.Add(Json(new { calleeNumber = bad }));
            bodies.Add(Json(new { calleeNumber = "+15551230001", media = bad }));
            bodies.Add(Json(new { calleeNumber = "+15551230001", natType = bad }));
        }

        // Wrong JSON types and shapes.
        bodies.AddRange(
        [
            """{"callee": 12345}""", """{"calleeNumber": ["+15551230001"]}""", """{"calleeNumber": {"$ne": null}}""",
            """{"calleeNumber": "+15551230001", "record": "yes"}""", """{"calleeNumber": "+15551230001", "fallback": "on"}""",
            """{"calleeNumber": "+15551230001", "fallback": {"onBusy": "sometimes"}}""", """[]""", "null", "\"room\"",
            """{"calleeNumber": "+15551230001",""", "not json at all", """{"calleeNumber": 1e400}""",
        ]);

        foreach (var body in bodies)
        {
            using var response = await client.PostAsync("/api/rooms", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {Shorten(body)}");
        }

        Assert.Equal(before, await CountsAsync(caller));
        Assert.Equal(sent, Interlocked.Read(ref _commandsSent));
    }

    [Fact]
    public async Task Hostile_room_ids_in_the_path_are_4xx_and_change_nothing()
    {
        ListenToCommands();
        var caller = await world.AddUserAsync("mallory");
        var client = world.ClientFor(caller);
        var room = await client.CreateRoomAsync(new { calleeNumber = "+15551238001" });
        var before = await CountsAsync(caller);
        var sent = await QuietBaselineAsync();

        foreach (var bad in Injections.Append(room.RoomId + ";hangup").Append(room.RoomId + "\r\n"))
        {
            var id = Uri.EscapeDataString(bad);
            foreach (var (method, path) in new[]
            {
                (HttpMethod.Get, $"/api/rooms/{id}"), (HttpMethod.Post, $"/api/rooms/{id}/join"), (HttpMethod.Post, $"/api/rooms/{id}/busy"),
                (HttpMethod.Post, $"/api/rooms/{id}/refuse"), (HttpMethod.Delete, $"/api/rooms/{id}"),
            })
            {
                using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Post ? JsonContent.Create(new { natType = "symmetric" }) : null };
                using var response = await client.SendAsync(request);
                Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} for {method} {Shorten(path)}");
            }
        }

        Assert.Equal(before, await CountsAsync(caller));
        Assert.Equal(sent, Interlocked.Read(ref _commandsSent));
        Assert.Equal("ringing", (await client.RoomAsync(room.RoomId)).Call!.Status);
    }

    [Fact]
    public async Task Hostile_dtmf_on_an_answered_call_is_400_and_sends_nothing()
    {
        var call = await world.AnsweredAppCallAsync("+15551238002");
        ListenToCommands();
        var client = world.ClientFor(call.Caller);
        var before = await CountsAsync(call.Caller);
        var sent = await QuietBaselineAsync();
        var bodies = new List<string>();
        foreach (var bad in Injections)
        {
            bodies.Add(Json(new { digits = bad }));
            bodies.Add(Json(new { digits = "1", leg = bad }));
        }

        bodies.AddRange(
        [
            """{"digits": 123}""", """{"digits": ["1","2"]}""", """{"digits": "1", "durationMs": "250"}""",
            """{"digits": "1", "durationMs": 99999999999}""", """{"digits": "1", "durationMs": -1}""", """{"digits": "1 2"}""",
            """{"digits": "1", "leg": 1}""", "null", "[]", "{",
        ]);
        foreach (var body in bodies)
        {
            using var response = await client.PostAsync($"/api/calls/{call.Room.CallId}/dtmf", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {Shorten(body)}");
        }

        foreach (var bad in Injections)
        {
            using var response = await client.PostAsync($"/api/calls/{Uri.EscapeDataString(bad)}/dtmf", JsonContent.Create(new { digits = "1" }));
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} for call id {Shorten(bad)}");
        }

        Assert.Equal(before, await CountsAsync(call.Caller));
        Assert.Equal(sent, Interlocked.Read(ref _commandsSent));
        Assert.Empty(world.Digits(call.CalleeLeg));
        Assert.Empty(world.Digits(call.CallerLeg));
        world.Sim.Switch.Hangup(call.CallerLeg);
        await client.UntilStatusAsync(call.Room.RoomId, "completed");
    }

    [Fact]
    public async Task Admin_filters_refuse_malformed_values_and_treat_text_as_data()
    {
        var admin = await world.AddUserAsync("admin");
        var client = world.ClientWithToken(world.Services.GetRequiredService<CallControl.Auth.TokenService>().Mint(admin, "admin", TimeSpan.FromHours(1)));
        var caller = await world.AddUserAsync("mallory");
        await world.ClientFor(caller).CreateRoomAsync(new { calleeNumber = "+15551238003" });
        var before = await CountsAsync(caller);

        foreach (var bad in Injections)
        {
            var value = Uri.EscapeDataString(bad);
            foreach (var typed in new[] { "status", "from", "to", "answeredVia", "fallback", "minDuration", "sort", "calleeNumber", "hangupCause", "limit", "cursor" })
            {
                using var response = await client.GetAsync($"/api/admin/calls?{typed}={value}");
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {typed}={Shorten(bad)}");
            }

            // Free-text filters are bound as parameters: an injection matches no row (there are rows to leak); control
            // characters and kilobyte values are refused.
            foreach (var text in new[] { "caller", "callee", "room", "node" })
            {
                using var response = await client.GetAsync($"/api/admin/calls?{text}={value}");
                var body = await response.Content.ReadAsStringAsync();
                if (bad.Trim().Length > 256 || bad.Trim().Any(char.IsControl))
                {
                    Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {text}={Shorten(bad)}: {body}");
                    continue;
                }

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} for {text}={Shorten(bad)}: {body}");
                using var json = System.Text.Json.JsonDocument.Parse(body);
                Assert.Equal(0, json.RootElement.GetProperty("items").GetArrayLength());
            }
        }

        Assert.Equal(before, await CountsAsync(caller));
    }

    [Fact]
    public async Task Oversized_bodies_are_413_before_they_are_read_and_the_cdr_endpoint_keeps_its_own_limit()
    {
        var caller = await world.AddUserAsync("mallory");
        var client = world.ClientFor(caller);
        var before = await CountsAsync(caller);
        var huge = "{\"calleeNumber\":\"+15551230001\",\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";

        // Expect: 100-continue, as a careful client sends a large body: the 413 comes before any of it is sent. Without
        // it the client may still be writing when the server answers and closes, and sees a broken pipe, not the 413.
        client.DefaultRequestHeaders.ExpectContinue = true;
        using var rooms = await client.PostAsync("/api/rooms", new StringContent(huge, Encoding.UTF8, "application/json"));
        using var dtmf = await client.PostAsync($"/api/calls/{Guid.NewGuid()}/dtmf", new StringContent(huge, Encoding.UTF8, "application/json"));
        using var cdrRequest = new HttpRequestMessage(HttpMethod.Post, "/fs/cdr")
        {
            Content = new StringContent("{\"variables\":{\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}", Encoding.UTF8, "application/json"),
        };
        cdrRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RoomWorld.CallbackUser}:{RoomWorld.CallbackSecret}")));
        using var cdr = await world.Http.SendAsync(cdrRequest);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, rooms.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, dtmf.StatusCode);
        // 2 MB is within mod_json_cdr's limit: read, then refused for what it is (no leg uuid), not for its size.
        Assert.Equal(HttpStatusCode.BadRequest, cdr.StatusCode);
        Assert.Equal(before, await CountsAsync(caller));
    }

    public void Dispose() => _commands.Dispose();

    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static string Shorten(string s) => s.Length > 80 ? s[..80] + "..." : s;

    /// <summary>The rows that belong to <paramref name="user"/>'s calls: rooms, calls, history, logins, legs, DTMF.</summary>
    private async Task<string> CountsAsync(string user)
    {
        await using var command = world.Database.CreateCommand("""
            SELECT (SELECT count(*) FROM rooms WHERE caller_user_id = $1 OR callee_user_id = $1),
                   (SELECT count(*) FROM calls WHERE caller = $1 OR callee = $1),
                   (SELECT count(*) FROM call_state_history h JOIN calls c ON c.id = h.call_id WHERE c.caller = $1 OR c.callee = $1),
                   (SELECT count(*) FROM verto_logins WHERE user_id = $1),
                   (SELECT count(*) FROM call_legs l JOIN calls c ON c.id = l.call_id WHERE c.caller = $1 OR c.callee = $1),
                   (SELECT count(*) FROM call_dtmf d JOIN calls c ON c.id = d.call_id WHERE c.caller = $1 OR c.callee = $1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(reader.GetInt64));
    }
}
