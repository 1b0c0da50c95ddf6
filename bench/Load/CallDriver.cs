using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CallControl.Auth;
using CallControl.Data;
using CallControl.Rooms;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Bench.Load;

/// <summary>The three kinds of call the benchmark mixes.</summary>
internal enum CallKind
{
    Answered,
    BusyThenFallback,
    Canceled,
}

/// <summary>
/// Places one room call of a kind as the apps and clients would: the caller creates the room over HTTP and its
/// verto client enters it on the simulator; the callee (online on signaling) joins and enters, or answers busy so
/// the carrier number answers; a canceled caller hangs up while ringing. Counts legs created and setups done.
/// </summary>
internal sealed class CallDriver(LoadWorld world, BridgeClock clock, HttpClient http) : IAsyncDisposable
{
    public const string CarrierPrefix = "+1555";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentBag<ClientWebSocket> _signals = [];
    private readonly ConcurrentQueue<Guid> _callIds = new();
    private string[] _callees = [];
    private Dictionary<string, string> _calleeTokens = [];
    private int _nextCallee;
    private long _legs;
    private long _setups;
    private long _failures;

    public long LegsCreated => Interlocked.Read(ref _legs);

    public long Setups => Interlocked.Read(ref _setups);

    public long Failures => Interlocked.Read(ref _failures);

    public IReadOnlyCollection<Guid> CallIds => _callIds;

    /// <summary>Each set-up call's time from the room request to its goal (bridged, or parked for a canceled one), ms.</summary>
    public ConcurrentQueue<double> SetupMs { get; } = new();

    /// <summary>Each set-up call's completion, as a <see cref="Stopwatch"/> timestamp.</summary>
    public ConcurrentQueue<long> SetupDoneAt { get; } = new();

    public string? FirstError { get; private set; }

    /// <summary>Callees that stay online on signaling for the whole run (their invites are read and dropped).</summary>
    public async Task ConnectCalleesAsync(int count)
    {
        var users = world.Services.GetRequiredService<UserStore>();
        var hub = world.Services.GetRequiredService<SignalHub>();
        var tokens = world.Services.GetRequiredService<TokenService>();
        _callees = new string[count];
        var calleeTokens = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var id = $"callee-{i}-{Guid.NewGuid():N}"[..24];
            await users.AddAsync(new UserRecord { Id = id, DisplayName = "callee", PhoneNumber = $"{CarrierPrefix}{i:D7}", PstnFallbackAllowed = true }).ConfigureAwait(false);
            var token = tokens.Mint(id, null, TimeSpan.FromHours(2));
            calleeTokens[id] = token;
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            await socket.ConnectAsync(new UriBuilder(world.BaseAddress) { Scheme = "ws", Path = SignalingApi.Path }.Uri, CancellationToken.None).ConfigureAwait(false);
            _signals.Add(socket);
            _ = DrainAsync(socket);
            _callees[i] = id;
        }

        _calleeTokens = calleeTokens;

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!_callees.All(hub.IsOnline))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("callees did not come online on signaling");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>A caller user and its bearer token, made before the timed run.</summary>
    public async Task<(string User, string Token)[]> MakeCallersAsync(int count)
    {
        var users = world.Services.GetRequiredService<UserStore>();
        var tokens = world.Services.GetRequiredService<TokenService>();
        var callers = new (string, string)[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var id = $"caller-{i}-{Guid.NewGuid():N}"[..24];
            await users.AddAsync(new UserRecord { Id = id, DisplayName = "caller", PstnFallbackAllowed = true }, ct).ConfigureAwait(false);
            callers[i] = (id, tokens.Mint(id, null, TimeSpan.FromHours(2)));
        }).ConfigureAwait(false);
        return callers;
    }

    /// <summary>Runs one call; <paramref name="holdMs"/> is how long an answered call stays up (null: until <paramref name="release"/>).</summary>
    public async Task RunAsync(CallKind kind, (string User, string Token) caller, int? holdMs, Task? release = null)
    {
        var began = Stopwatch.GetTimestamp();
        try
        {
            var callee = _callees[(int)((uint)Interlocked.Increment(ref _nextCallee) % (uint)_callees.Length)];
            object body = kind == CallKind.BusyThenFallback ? new { callee, fallback = new { onBusy = true } } : new { callee };
            var room = await PostAsync<RoomAccess>("/api/rooms", caller.Token, body).ConfigureAwait(false);
            _callIds.Enqueue(room.CallId);
            var callerLeg = await EnterAsync(room).ConfigureAwait(false);
            switch (kind)
            {
                case CallKind.Answered:
                    var joined = await PostAsync<RoomAccess>($"/api/rooms/{room.RoomId}/join", TokenOf(callee), new { natType = "symmetric" }).ConfigureAwait(false);
                    await EnterAsync(joined).ConfigureAwait(false);
                    await clock.BridgedAsync(callerLeg).WaitAsync(StepTimeout).ConfigureAwait(false);
                    break;
                case CallKind.BusyThenFallback:
                    await clock.ParkedAsync(callerLeg).WaitAsync(StepTimeout).ConfigureAwait(false);
                    await PostAsync<JsonElement?>($"/api/rooms/{room.RoomId}/busy", TokenOf(callee), null).ConfigureAwait(false);
                    await clock.BridgedAsync(callerLeg).WaitAsync(StepTimeout).ConfigureAwait(false);
                    Interlocked.Increment(ref _legs); // the carrier leg the service originated
                    break;
                case CallKind.Canceled:
                    await clock.ParkedAsync(callerLeg).WaitAsync(StepTimeout).ConfigureAwait(false);
                    break;
            }

            var done = Stopwatch.GetTimestamp();
            SetupMs.Enqueue(Stopwatch.GetElapsedTime(began, done).TotalMilliseconds);
            SetupDoneAt.Enqueue(done);
            Interlocked.Increment(ref _setups);
            if (release is not null)
            {
                await release.ConfigureAwait(false);
            }
            else if (holdMs is > 0)
            {
                await Task.Delay(holdMs.Value).ConfigureAwait(false);
            }

            await world.Sim.HangupAsync(callerLeg).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failures);
            FirstError ??= $"{kind}: {e.Message}";
        }
    }

    // A callee's app holds its bearer token for the token's lifetime, as a real client does: the one it signed in with.
    private string TokenOf(string callee) => _calleeTokens[callee];

    /// <summary>The party's verto client logs in with the one-time login and calls the room's destination.</summary>
    private async Task<string> EnterAsync(RoomAccess access)
    {
        if (!await world.Sim.LoginAsync(access.Verto.Login, access.Verto.Password).ConfigureAwait(false))
        {
            throw new InvalidOperationException("verto login refused");
        }

        var leg = await world.Sim.PlaceCallAsync(access.Verto.Login, access.Verto.Destination).ConfigureAwait(false);
        Interlocked.Increment(ref _legs);
        return leg;
    }

    private async Task<T> PostAsync<T>(string path, string token, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? default! : JsonSerializer.Deserialize<T>(text, Json)!;
    }

    private static async Task DrainAsync(ClientWebSocket socket)
    {
        var buffer = new byte[8192];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var r = await socket.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _signals)
        {
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (WebSocketException)
            {
            }

            socket.Dispose();
        }
    }
}
