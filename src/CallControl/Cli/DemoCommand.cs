using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CallControl.Auth;
using CallControl.Data;
using CallControl.Rooms;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Cli;

/// <summary>
/// <c>callcontrol demo</c>: against a running <c>./run.sh</c> (service, simulator control API, PostgreSQL) it adds demo
/// users, then drives four calls through the room API and the simulator's control API (answered in the app; callee
/// offline, so the phone rings; callee busy; caller cancels), printing rooms, statuses and CDR rows as they appear.
/// Configuration as the service reads it: <c>ConnectionStrings:CallControl</c>, <c>Auth:SigningKey</c>.
/// </summary>
internal static class DemoCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken,
        IConfiguration? configurationOverride = null)
    {
        var service = new Uri(Option(args, "--url") ?? "http://127.0.0.1:8080");
        var sim = new Uri(Option(args, "--sim") ?? "http://127.0.0.1:8099");
        // How long Carol's phone rings before she answers: well inside the service's Rooms:PstnRingTimeout (45 s by
        // default), or the call ends no_answer instead.
        var answerAfter = 1500;
        if (Option(args, "--carrier-answer-ms") is { } ms
            && (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out answerAfter) || answerAfter > 60_000))
        {
            await stderr.WriteLineAsync("demo: --carrier-answer-ms takes 0 to 60000 milliseconds").ConfigureAwait(false);
            return CommandLine.Usage;
        }
        // The same configuration the service and `callcontrol token` read (appsettings, then environment).
        var configuration = configurationOverride ?? TokenCommand.LoadConfiguration();
        var connectionString = configuration.GetConnectionString(DataServiceCollectionExtensions.ConnectionStringName)
            ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=callcontrol";
        var auth = new AuthOptions { SigningKey = configuration[AuthOptions.SectionName + ":SigningKey"] ?? "" };
        if (!auth.HasValidKey)
        {
            await stderr.WriteLineAsync("demo: set Auth__SigningKey to the service's signing key (at least 32 bytes)").ConfigureAwait(false);
            return CommandLine.Usage;
        }

        DataServiceCollectionExtensions.UseSnakeCaseMapping();
        await using var data = NpgsqlDataSource.Create(connectionString);
        var demo = new Demo(service, sim, answerAfter, new UserStore(data), new LegStore(data), new TokenService(Options.Create(auth), TimeProvider.System), stdout);
        try
        {
            await demo.RunAsync(cancellationToken).ConfigureAwait(false);
            return CommandLine.Ok;
        }
        catch (Exception ex) when (ex is HttpRequestException or WebSocketException or NpgsqlException or TimeoutException or InvalidOperationException)
        {
            await stderr.WriteLineAsync("demo: " + ex.Message).ConfigureAwait(false);
            return CommandLine.BadInput;
        }
        finally
        {
            demo.Dispose();
        }
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }

    private sealed class Demo(Uri service, Uri sim, int carrierAnswerMs, UserStore users, LegStore legs, TokenService tokens, TextWriter stdout) : IDisposable
    {
        private readonly HttpClient _sim = new() { BaseAddress = sim, Timeout = TimeSpan.FromSeconds(30) };
        private readonly string _run = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..3]);

        public async Task RunAsync(CancellationToken ct)
        {
            var alice = await AddUserAsync("alice", "Alice", "+15550001001", ct).ConfigureAwait(false);
            var bob = await AddUserAsync("bob", "Bob", "+15550001002", ct).ConfigureAwait(false);
            var carol = await AddUserAsync("carol", "Carol", "+15550001003", ct).ConfigureAwait(false);
            await PutJsonAsync("/gateways/carrier/rules", new[] { new { prefix = "+1555", behaviour = "answer", delayMs = carrierAnswerMs } }, ct).ConfigureAwait(false);

            using var bobSignal = await OnlineAsync(bob, ct).ConfigureAwait(false);
            await Say("1. Alice calls Bob in the app; Bob joins and answers.").ConfigureAwait(false);
            var (room, leg) = await CallAsync(alice, new { callee = bob }, ct).ConfigureAwait(false);
            var join = await PostAsync<RoomAccess>(bob, $"/api/rooms/{room.RoomId}/join", new { natType = "open" }, ct).ConfigureAwait(false);
            await EnterAsync(join, ct).ConfigureAwait(false);
            await UntilAsync(alice, room, "answered", ct).ConfigureAwait(false);
            await HangupAsync(leg, ct).ConfigureAwait(false);
            await FinishAsync(alice, room, "completed", 2, ct).ConfigureAwait(false);

            await Say("2. Alice calls Carol, who is not online: Carol's phone rings instead and she answers.").ConfigureAwait(false);
            (room, leg) = await CallAsync(alice, new { callee = carol }, ct).ConfigureAwait(false);
            await UntilAsync(alice, room, "answered", ct).ConfigureAwait(false);
            await HangupAsync(leg, ct).ConfigureAwait(false);
            await FinishAsync(alice, room, "completed", 2, ct).ConfigureAwait(false);

            await Say("3. Alice calls Bob; Bob presses busy.").ConfigureAwait(false);
            (room, _) = await CallAsync(alice, new { callee = bob }, ct).ConfigureAwait(false);
            await PostAsync<RoomView>(bob, $"/api/rooms/{room.RoomId}/busy", null, ct).ConfigureAwait(false);
            await FinishAsync(alice, room, "busy", 1, ct).ConfigureAwait(false);

            await Say("4. Alice calls Bob and hangs up before he answers.").ConfigureAwait(false);
            (room, _) = await CallAsync(alice, new { callee = bob }, ct).ConfigureAwait(false);
            using (var cancel = Client(alice))
            {
                (await cancel.DeleteAsync(new Uri(service, $"/api/rooms/{room.RoomId}"), ct).ConfigureAwait(false)).EnsureSuccessStatusCode().Dispose();
            }

            await FinishAsync(alice, room, "canceled", 1, ct).ConfigureAwait(false);
            await Say("Done: every call above is in PostgreSQL (calls, call_state_history, call_legs).").ConfigureAwait(false);
        }

        private async Task<string> AddUserAsync(string name, string display, string phone, CancellationToken ct)
        {
            var id = $"demo-{name}-{_run}";
            await users.AddAsync(new UserRecord { Id = id, DisplayName = display, PhoneNumber = phone }, ct).ConfigureAwait(false);
            await Say($"user {id} ({display}, {phone})").ConfigureAwait(false);
            return id;
        }

        private HttpClient Client(string user)
        {
            var client = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Mint(user, null, TimeSpan.FromHours(1)));
            return client;
        }

        private async Task<ClientWebSocket> OnlineAsync(string user, CancellationToken ct)
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + tokens.Mint(user, null, TimeSpan.FromHours(1)));
            await socket.ConnectAsync(new UriBuilder(service) { Scheme = "ws", Path = SignalingApi.Path }.Uri, ct).ConfigureAwait(false);
            await Say($"{user} is online on signaling").ConfigureAwait(false);
            return socket;
        }

        /// <summary>Creates the room as <paramref name="caller"/> and sends the caller's verto leg into it.</summary>
        private async Task<(RoomAccess Room, string Leg)> CallAsync(string caller, object body, CancellationToken ct)
        {
            var room = await PostAsync<RoomAccess>(caller, "/api/rooms", body, ct).ConfigureAwait(false);
            await Say($"room {room.RoomId} call {room.CallId}: verto login {room.Verto.Login} -> {room.Verto.Destination}").ConfigureAwait(false);
            return (room, await EnterAsync(room, ct).ConfigureAwait(false));
        }

        /// <summary>The party's verto client (simulated) logs in with the one-time login and calls the room.</summary>
        private async Task<string> EnterAsync(RoomAccess access, CancellationToken ct)
        {
            using var login = await _sim.PostAsJsonAsync($"/clients/{access.Verto.Login}/login", new { password = access.Verto.Password }, ct).ConfigureAwait(false);
            var result = await login.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
            if (!login.IsSuccessStatusCode || !result.TryGetProperty("loggedIn", out var ok) || !ok.GetBoolean())
            {
                throw new InvalidOperationException(
                    "the simulator refused the room's verto login: its mod_xml_curl directory must point at the service's /fs/directory");
            }

            using var call = await _sim.PostAsJsonAsync($"/clients/{access.Verto.Login}/calls", new { destination = access.Verto.Destination }, ct).ConfigureAwait(false);
            var created = await call.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
            return created.GetProperty("uuid").GetString()!;
        }

        private async Task HangupAsync(string leg, CancellationToken ct)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            using var response = await _sim.PostAsJsonAsync($"/channels/{leg}/hangup", new { cause = "NORMAL_CLEARING" }, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }

        /// <summary>Polls the room, printing each status it moves through, until it reaches <paramref name="status"/>.</summary>
        private async Task<RoomView> UntilAsync(string user, RoomAccess room, string status, CancellationToken ct)
        {
            using var client = Client(user);
            string? last = null;
            for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200, ct).ConfigureAwait(false))
            {
                var view = (await client.GetFromJsonAsync<RoomView>($"/api/rooms/{room.RoomId}", Json, ct).ConfigureAwait(false))!;
                if (view.Call?.Status != last)
                {
                    last = view.Call?.Status;
                    await Say($"  room {view.RoomId} [{view.State}] call {last} via={view.Call?.AnsweredVia ?? "-"} fallback={view.Call?.FallbackReason ?? "-"} cause={view.Call?.HangupCause ?? "-"}").ConfigureAwait(false);
                }

                if (last == status)
                {
                    return view;
                }
            }

            throw new TimeoutException($"room {room.RoomId} did not reach {status} (last {last})");
        }

        private async Task FinishAsync(string user, RoomAccess room, string status, int legCount, CancellationToken ct)
        {
            await UntilAsync(user, room, status, ct).ConfigureAwait(false);
            DateTime? complete = null;
            for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(250, ct).ConfigureAwait(false))
            {
                var rows = await legs.ListForCallAsync(room.CallId, ct).ConfigureAwait(false);
                if (rows.Count >= legCount && rows.All(r => r.EndAt is not null))
                {
                    // FreeSWITCH posts a leg's CDR before it fires the leg's CHANNEL_HANGUP_COMPLETE, so the row can
                    // be read between the two writes: give the event a moment to add its part (source "both").
                    complete ??= DateTime.UtcNow;
                    if (rows.Any(r => r.Source != "both") && DateTime.UtcNow - complete < TimeSpan.FromSeconds(5))
                    {
                        continue;
                    }

                    foreach (var r in rows)
                    {
                        await Say(string.Create(CultureInfo.InvariantCulture,
                            $"  CDR {r.LegUuid} {r.Role,-6} {r.ChannelName} billsec={r.Billsec} cause={r.HangupCause} sip={r.SipTermStatus ?? "-"} source={r.Source}")).ConfigureAwait(false);
                    }

                    return;
                }
            }

            await Say("  (CDR rows not all there yet)").ConfigureAwait(false);
        }

        private async Task<T> PostAsync<T>(string user, string path, object? body, CancellationToken ct)
        {
            using var client = Client(user);
            using var response = await client.PostAsJsonAsync(path, body, Json, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
            }

            return (await response.Content.ReadFromJsonAsync<T>(Json, ct).ConfigureAwait(false))!;
        }

        private async Task PutJsonAsync(string path, object body, CancellationToken ct)
        {
            using var response = await _sim.PutAsJsonAsync(path, body, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }

        private Task Say(string line) => stdout.WriteLineAsync(line);

        public void Dispose() => _sim.Dispose();
    }
}
