using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace CallControl.Esl.Tests.Support;

/// <summary>
/// One accepted connection of <see cref="FakeEslServer"/>, driven by the test: read the client's commands, write
/// whatever bytes FreeSWITCH would (replies, events, notices), or close.
/// </summary>
internal sealed class FakeEslSession : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<WireCommand> _commands = Channel.CreateUnbounded<WireCommand>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    public FakeEslSession(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Every command received so far, in order.</summary>
    public List<WireCommand> Received { get; } = [];

    /// <summary>Completes when the client closed its side.</summary>
    public TaskCompletionSource ClientClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<WireCommand> ReadCommandAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await _commands.Reader.ReadAsync(cts.Token);
    }

    /// <summary>True when a command is already waiting (used to show that nothing was written).</summary>
    public bool TryReadCommand(out WireCommand? command) => _commands.Reader.TryRead(out command);

    public async Task SendRawAsync(string text)
    {
        await SendBytesAsync(Encoding.UTF8.GetBytes(text));
    }

    public async Task SendBytesAsync(byte[] bytes)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(bytes);
            await _stream.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task GreetAsync() => SendRawAsync("Content-Type: auth/request\n\n");

    public Task ReplyAsync(string replyText) => SendRawAsync($"Content-Type: command/reply\nReply-Text: {replyText}\n\n");

    public Task ApiResponseAsync(string body) =>
        SendRawAsync($"Content-Type: api/response\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\n\n{body}");

    /// <summary>A text/event-plain frame: header values percent-encoded as FreeSWITCH does, optional inner body.</summary>
    public Task EventAsync(IEnumerable<KeyValuePair<string, string>> headers, string? body = null) =>
        SendRawAsync(PlainEvent(headers, body));

    public static string PlainEvent(IEnumerable<KeyValuePair<string, string>> headers, string? body = null)
    {
        var inner = new StringBuilder();
        foreach (var h in headers)
        {
            inner.Append(h.Key).Append(": ").Append(Uri.EscapeDataString(h.Value)).Append('\n');
        }

        if (body is not null)
        {
            inner.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\n\n").Append(body);
        }
        else
        {
            inner.Append('\n');
        }

        var text = inner.ToString();
        return $"Content-Length: {Encoding.UTF8.GetByteCount(text)}\nContent-Type: text/event-plain\n\n{text}";
    }

    public Task DisconnectNoticeAsync() =>
        SendRawAsync("Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n");

    /// <summary>Reads <c>auth</c> and answers as FreeSWITCH: +OK accepted, or -ERR invalid, a notice, and close.</summary>
    public async Task<WireCommand> AcceptAuthAsync(string password = "ClueCon")
    {
        var auth = await ReadCommandAsync();
        if (auth.Line == "auth " + password)
        {
            await ReplyAsync("+OK accepted");
        }
        else
        {
            await ReplyAsync("-ERR invalid");
            await DisconnectNoticeAsync();
            Close();
        }

        return auth;
    }

    public void Close()
    {
        try
        {
            _client.Client?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        _client.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Close();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _writeLock.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await WireCommand.ReadAsync(_stream, _stop.Token) is { } command)
            {
                lock (Received)
                {
                    Received.Add(command);
                }

                await _commands.Writer.WriteAsync(command);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
        }
        finally
        {
            _commands.Writer.TryComplete();
            ClientClosed.TrySetResult();
        }
    }
}
