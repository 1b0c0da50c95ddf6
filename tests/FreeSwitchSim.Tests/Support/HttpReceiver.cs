using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FreeSwitchSim.Tests.Support;

/// <summary>A tiny HTTP endpoint on 127.0.0.1 (a free port) that records each request and answers it.</summary>
internal sealed class HttpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<Received> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public HttpReceiver(Func<Received, string>? answer = null, int? port = null)
    {
        Port = port ?? FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var headers = ctx.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => ctx.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
                var r = new Received(ctx.Request.HttpMethod, ctx.Request.RawUrl ?? "", headers, body);
                lock (_requests)
                {
                    _requests.Add(r);
                }
                var reply = Encoding.UTF8.GetBytes(answer?.Invoke(r) ?? "");
                ctx.Response.StatusCode = 200;
                await ctx.Response.OutputStream.WriteAsync(reply);
                ctx.Response.Close();
                _arrived.Release();
            }
        });
    }

    public sealed record Received(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string Body);

    public int Port { get; }

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Waits (up to 10 s) until <paramref name="count"/> requests have been answered.</summary>
    public async Task WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Requests.Count < count && DateTime.UtcNow < deadline)
        {
            await _arrived.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Close();
        _arrived.Dispose();
    }
}
