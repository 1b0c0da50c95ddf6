using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace CallControl.Esl.Tests.Support;

/// <summary>
/// A scriptable stand-in for FreeSWITCH's Event Socket on 127.0.0.1:0. Each accepted connection becomes a
/// <see cref="FakeEslSession"/>; with a script, the script runs on it; without, the test takes sessions with
/// <see cref="AcceptAsync"/>. It shares no code with the client under test.
/// </summary>
internal sealed class FakeEslServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<FakeEslSession> _sessions = Channel.CreateUnbounded<FakeEslSession>();
    private readonly List<FakeEslSession> _all = [];
    private readonly List<Task> _scripts = [];
    private readonly Func<FakeEslSession, int, Task>? _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _connections;

    public FakeEslServer(Func<FakeEslSession, int, Task>? script = null)
    {
        _script = script;
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async Task<FakeEslSession> AcceptAsync()
    {
        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        return await _sessions.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (OperationCanceledException)
        {
        }

        FakeEslSession[] all;
        lock (_all)
        {
            all = [.. _all];
        }

        foreach (var s in all)
        {
            await s.DisposeAsync();
        }

        await Task.WhenAll(_scripts.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var session = new FakeEslSession(client);
            var index = Interlocked.Increment(ref _connections) - 1;
            lock (_all)
            {
                _all.Add(session);
            }

            if (_script is null)
            {
                await _sessions.Writer.WriteAsync(session);
            }
            else
            {
                lock (_scripts)
                {
                    _scripts.Add(Task.Run(() => _script(session, index)));
                }
            }
        }
    }
}
