using CallControl.Esl.Connection;
using CallControl.Esl.Tests.Support;

namespace CallControl.Esl.Tests.Connection;

/// <summary>A connected client and the fake server session it talks to.</summary>
internal sealed class ConnectedPair : IAsyncDisposable
{
    private ConnectedPair(FakeEslServer server, FakeEslSession session, EslConnection connection)
    {
        Server = server;
        Session = session;
        Connection = connection;
    }

    public FakeEslServer Server { get; }

    public FakeEslSession Session { get; }

    public EslConnection Connection { get; }

    public static async Task<ConnectedPair> StartAsync(Action<EslConnectionOptions>? configure = null)
    {
        var server = new FakeEslServer();
        var connecting = EslConnection.ConnectAsync(FakeResponder.Options(server, configure));
        var session = await server.AcceptAsync();
        await session.GreetAsync();
        await session.AcceptAuthAsync();
        return new ConnectedPair(server, session, await connecting);
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Server.DisposeAsync();
    }
}
