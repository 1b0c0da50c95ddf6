using System.Net;
using System.Net.Sockets;

namespace CallControl.Tests.Faults;

/// <summary>
/// A loopback TCP relay in front of a server that can turn into a black hole: a network partition as PostgreSQL's
/// clients see it when a firewall drops packets or a link goes dark. Nothing is refused and nothing is closed; bytes
/// sent are simply never delivered and no answer ever comes, on the open connections and on new ones alike (a new
/// connection is accepted, then hears nothing). <see cref="Heal"/> ends the partition the way a long one ends: the
/// connections it stranded are reset, new ones are relayed again.
/// </summary>
internal sealed class BlackholeProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<(Socket Client, Socket? Server)> _pairs = [];
    private readonly Task _accepting;
    private volatile bool _dark;

    public BlackholeProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>From now on nothing gets through, in either direction, on any connection.</summary>
    public void GoDark() => _dark = true;

    /// <summary>Resets every connection (the stranded ones) and relays new connections again.</summary>
    public void Heal()
    {
        List<(Socket Client, Socket? Server)> stranded;
        lock (_lock)
        {
            stranded = [.. _pairs];
            _pairs.Clear();
            _dark = false;
        }

        foreach (var (client, server) in stranded)
        {
            Reset(client);
            if (server is not null)
            {
                Reset(server);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Heal();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_dark)
            {
                // Accepted (the handshake is the kernel's), then silence: the startup message is never answered.
                lock (_lock)
                {
                    _pairs.Add((client, null));
                }

                continue;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Reset(client);
                server.Dispose();
                continue;
            }

            lock (_lock)
            {
                _pairs.Add((client, server));
            }

            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    // Copies until either side closes; while dark, what is read is dropped (a partition loses packets, it does not
    // queue them), so the sender's writes succeed and nothing arrives.
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (_dark)
                {
                    continue;
                }

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Reset(from);
            Reset(to);
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
