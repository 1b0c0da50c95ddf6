using FreeSwitchSim.Esl;

namespace FreeSwitchSim.Tests.Esl;

/// <summary>An EslServer on 127.0.0.1:0 in front of a <see cref="FakeSwitchCore"/>.</summary>
internal sealed class EslHarness : IAsyncDisposable
{
    private EslHarness(FakeSwitchCore core, EslServer server)
    {
        Core = core;
        Server = server;
    }

    public FakeSwitchCore Core { get; }

    public EslServer Server { get; }

    public int Port => Server.Port;

    public static EslHarness Start(Action<EslServerOptions>? configure = null, TimeProvider? clock = null)
    {
        var core = new FakeSwitchCore(clock);
        var options = new EslServerOptions();
        configure?.Invoke(options);
        var server = new EslServer(core, options);
        server.Start();
        return new EslHarness(core, server);
    }

    public Task<EslTestClient> ClientAsync() => EslTestClient.ConnectAuthedAsync(Port);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
