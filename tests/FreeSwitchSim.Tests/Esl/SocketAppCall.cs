using System.Net;
using System.Net.Sockets;
using FreeSwitchSim.Switch;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>
/// A simulator whose <c>socket</c> application dials a listener of the test's, and one verto call placed to
/// <c>sock-o1</c> whose outbound connection that listener accepted.
/// </summary>
internal sealed class SocketAppCall : IAsyncDisposable
{
    private readonly TcpListener _app;

    private SocketAppCall(TcpListener app, SimulatorHost host, string uuid, EslTestClient outbound)
    {
        _app = app;
        Host = host;
        Uuid = uuid;
        Outbound = outbound;
    }

    public SimulatorHost Host { get; }

    /// <summary>The verto leg the socket application speaks for.</summary>
    public string Uuid { get; }

    /// <summary>The accepted outbound connection (nothing sent on it yet).</summary>
    public EslTestClient Outbound { get; }

    public static async Task<SocketAppCall> StartAsync(Action<SimSwitchOptions>? configure = null)
    {
        var app = new TcpListener(IPAddress.Loopback, 0);
        app.Start();
        var port = ((IPEndPoint)app.LocalEndpoint).Port;
        var host = await SimulatorHost.StartAsync(new SimulatorHostOptions
        {
            ConfigureSwitch = o =>
            {
                configure?.Invoke(o);
                o.SocketTarget = $"127.0.0.1:{port}";
            },
        });
        try
        {
            Assert.True(await host.Switch.LoginAsync("1000", "1234", CancellationToken.None));
            var uuid = host.Switch.PlaceCall("1000", "sock-o1");
            using var cts = new CancellationTokenSource(EslTestClient.Timeout);
            var outbound = EslTestClient.Wrap(await app.AcceptSocketAsync(cts.Token));
            return new SocketAppCall(app, host, uuid, outbound);
        }
        catch
        {
            app.Stop();
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Outbound.DisposeAsync();
        await Host.DisposeAsync();
        _app.Stop();
    }
}
