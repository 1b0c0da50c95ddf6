using System.Net.Sockets;
using System.Text;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>One frame as it came off the wire: the raw bytes, the envelope headers and the body.</summary>
internal sealed record WireFrame(byte[] Raw, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? this[string name] => Headers.FirstOrDefault(h => h.Key == name).Value;

    public string ContentType => this["Content-Type"] ?? "";

    public string Text => Encoding.UTF8.GetString(Raw);

    public string BodyText => Encoding.UTF8.GetString(Body);

    public bool IsReply => ContentType is "command/reply" or "api/response";
}

/// <summary>
/// A deliberately naive ESL peer for tests: it frames by "\n\n" and Content-Length in bytes, nothing more,
/// so what it reports is exactly what the simulator wrote. Every wait is bounded (10 s by default).
/// </summary>
internal sealed class EslTestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly List<byte> _buffer = [];
    private readonly byte[] _chunk = new byte[65536];

    private EslTestClient(Socket socket) => _socket = socket;

    public static async Task<EslTestClient> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port);
        return new EslTestClient(socket);
    }

    public static EslTestClient Wrap(Socket socket) => new(socket);

    /// <summary>Connects, reads auth/request and authenticates.</summary>
    public static async Task<EslTestClient> ConnectAuthedAsync(int port, string password = "ClueCon")
    {
        var c = await ConnectAsync(port);
        Assert.Equal("auth/request", (await c.ReadFrameAsync()).ContentType);
        var reply = await c.CommandAsync($"auth {password}");
        Assert.Equal("+OK accepted", reply["Reply-Text"]);
        return c;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes);

    /// <summary>Sends "cmd\n\n" and returns the next reply frame, skipping events and logs.</summary>
    public async Task<WireFrame> CommandAsync(string command, List<WireFrame>? skipped = null)
    {
        await SendAsync(command + "\n\n");
        return await ReadReplyAsync(skipped);
    }

    public async Task<WireFrame> ReadReplyAsync(List<WireFrame>? skipped = null)
    {
        while (true)
        {
            var f = await ReadFrameAsync();
            if (f.IsReply)
            {
                return f;
            }
            skipped?.Add(f);
        }
    }

    public async Task<WireFrame> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        while (true)
        {
            if (TryTakeFrame(out var frame))
            {
                return frame!;
            }
            var n = await _socket.ReceiveAsync(_chunk, SocketFlags.None, cts.Token);
            if (n == 0)
            {
                throw new EndOfStreamException($"Socket closed with {_buffer.Count} bytes unframed.");
            }
            _buffer.AddRange(_chunk.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Reads until a frame satisfies <paramref name="match"/>; the frames before it go to <paramref name="skipped"/>.</summary>
    public async Task<WireFrame> ReadUntilAsync(Func<WireFrame, bool> match, List<WireFrame>? skipped = null)
    {
        while (true)
        {
            var f = await ReadFrameAsync();
            if (match(f))
            {
                return f;
            }
            skipped?.Add(f);
        }
    }

    /// <summary>True when the server closes the socket (after any remaining bytes, which are returned).</summary>
    public async Task<byte[]> ReadToCloseAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var rest = new List<byte>(_buffer);
        _buffer.Clear();
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(_chunk, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                return [.. rest];
            }
            if (n == 0)
            {
                return [.. rest];
            }
            rest.AddRange(_chunk.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Half-closes: the server sees end of stream but can still write to us.</summary>
    public Task ShutdownSendAsync()
    {
        _socket.Shutdown(SocketShutdown.Send);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool TryTakeFrame(out WireFrame? frame)
    {
        frame = null;
        var end = IndexOfBlankLine();
        if (end < 0)
        {
            return false;
        }
        var head = Encoding.UTF8.GetString(_buffer.GetRange(0, end).ToArray());
        var headers = head.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(": ", 2))
            .Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : ""))
            .ToList();
        var lengthText = headers.FirstOrDefault(h => h.Key == "Content-Length").Value;
        var length = lengthText is null ? 0 : int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture);
        var total = end + 2 + length;
        if (_buffer.Count < total)
        {
            return false;
        }
        var raw = _buffer.GetRange(0, total).ToArray();
        var body = _buffer.GetRange(end + 2, length).ToArray();
        _buffer.RemoveRange(0, total);
        frame = new WireFrame(raw, headers, body);
        return true;
    }

    private int IndexOfBlankLine()
    {
        for (var i = 0; i + 1 < _buffer.Count; i++)
        {
            if (_buffer[i] == (byte)'\n' && _buffer[i + 1] == (byte)'\n')
            {
                return i;
            }
        }
        return -1;
    }
}
