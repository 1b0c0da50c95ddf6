using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallControl.Tests.Webhooks;

/// <summary>How the receiver answers one request.</summary>
internal enum ReceiverReply
{
    /// <summary>Processes the event, answers 204.</summary>
    Ok,
    /// <summary>Does not process it, answers 500.</summary>
    ServerError,
    /// <summary>Processes the event, then answers 200 only after <see cref="WebhookReceiver.SlowBy"/> (longer than the sender's timeout).</summary>
    SlowOk,
}

/// <summary>One request as the receiver saw it.</summary>
internal sealed record ReceivedWebhook(string EventId, string Type, string CallId, string Body, bool SignatureValid, ReceiverReply Reply);

/// <summary>
/// An application's webhook endpoint on Kestrel 127.0.0.1:0. It checks each request's <c>CallControl-Signature</c>
/// with its own HMAC-SHA256 (not the service's code), answers the first requests as scripted and the rest with 204,
/// and keeps what an application would: each event processed once, deduplicated by event id, in arrival order.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    public static readonly TimeSpan SlowBy = TimeSpan.FromSeconds(3);

    private readonly WebApplication _app;
    private readonly string _secret;
    private readonly ConcurrentQueue<ReceiverReply> _script;
    private readonly ConcurrentQueue<ReceivedWebhook> _requests = new();
    private readonly List<JsonElement> _processed = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app, string secret, IEnumerable<ReceiverReply> script)
    {
        _app = app;
        _secret = secret;
        _script = new ConcurrentQueue<ReceiverReply>(script);
        app.MapPost("/hook", HandleAsync);
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request, duplicates included, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Requests => [.. _requests];

    /// <summary>The events the application processed, once each, in order.</summary>
    public IReadOnlyList<JsonElement> Processed
    {
        get
        {
            lock (_processed)
            {
                return [.. _processed];
            }
        }
    }

    public IReadOnlyList<JsonElement> ProcessedFor(Guid callId) =>
        [.. Processed.Where(e => e.GetProperty("callId").GetString() == callId.ToString("D"))];

    public static async Task<WebhookReceiver> StartAsync(string secret, params ReceiverReply[] firstReplies)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build(), secret, firstReplies);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var valid = Verify(context.Request.Headers["CallControl-Signature"].ToString(), body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement.Clone();
        var reply = _script.TryDequeue(out var scripted) ? scripted : ReceiverReply.Ok;
        _requests.Enqueue(new ReceivedWebhook(
            root.GetProperty("id").GetString()!, root.GetProperty("type").GetString()!, root.GetProperty("callId").GetString()!,
            body, valid, reply));
        if (!valid)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (reply == ReceiverReply.ServerError)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        lock (_processed)
        {
            if (_seen.Add(root.GetProperty("id").GetString()!))
            {
                _processed.Add(root);
            }
        }

        if (reply == ReceiverReply.SlowOk)
        {
            await Task.Delay(SlowBy);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;, t within five minutes of now.</summary>
    private bool Verify(string header, string body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - unix) > 300)
        {
            return false;
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(_secret));
        var expected = Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(t + "." + body))).ToLowerInvariant();
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
