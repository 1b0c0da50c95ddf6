using CallControl.Esl.Connection;
using CallControl.Esl.Tests.Support;

namespace CallControl.Esl.Tests.Connection;

public sealed class EslConnectionAuthTests
{
    [Fact]
    public async Task ConnectAsync_right_password_sends_auth_and_connects()
    {
        await using var server = new FakeEslServer();
        var connecting = EslConnection.ConnectAsync(FakeResponder.Options(server));
        var session = await server.AcceptAsync();
        await session.GreetAsync();
        var auth = await session.AcceptAuthAsync();

        await using var connection = await connecting;

        Assert.Equal("auth ClueCon", auth.Line);
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task ConnectAsync_userauth_sends_user_at_domain_colon_password()
    {
        await using var server = new FakeEslServer();
        var connecting = EslConnection.ConnectAsync(FakeResponder.Options(server, o => { o.User = "ops"; o.Domain = "example.org"; o.Password = "s3cret"; }));
        var session = await server.AcceptAsync();
        await session.GreetAsync();
        var auth = await session.ReadCommandAsync();
        await session.ReplyAsync("+OK accepted");

        await using var connection = await connecting;

        Assert.Equal("userauth ops@example.org:s3cret", auth.Line);
    }

    [Fact]
    public async Task ConnectAsync_wrong_password_replayed_from_capture_throws_typed_error_with_freeswitch_text()
    {
        // auth-fail.server.raw: the greeting, then "-ERR invalid" and a disconnect notice, then FreeSWITCH closes.
        var captured = await File.ReadAllBytesAsync(CaptureLocator.File("auth-fail.server.raw"));
        var greeting = "Content-Type: auth/request\n\n"u8.ToArray();
        await using var server = new FakeEslServer();
        var connecting = EslConnection.ConnectAsync(FakeResponder.Options(server, o => o.Password = "WrongPassword"));
        var session = await server.AcceptAsync();
        await session.SendBytesAsync(greeting);
        var auth = await session.ReadCommandAsync();
        await session.SendBytesAsync(captured[greeting.Length..]);
        session.Close();

        var error = await Assert.ThrowsAsync<EslAuthenticationException>(() => connecting);

        Assert.Equal("auth WrongPassword", auth.Line);
        Assert.Equal("-ERR invalid", error.ReplyText);
        Assert.Equal(EslFailureKind.AuthFailed, error.Kind);
        Assert.False(error.IsTransient);
        await session.ClientClosed.Task.WaitAsync(FakeEslSession.Timeout);
    }

    [Fact]
    public async Task ConnectAsync_acl_rude_rejection_throws_typed_rejected_error()
    {
        await using var server = new FakeEslServer();
        var connecting = EslConnection.ConnectAsync(FakeResponder.Options(server));
        var session = await server.AcceptAsync();
        // mod_event_socket.c, on an ACL miss: this frame instead of the greeting, then close.
        await session.SendRawAsync("Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n");
        session.Close();

        var error = await Assert.ThrowsAsync<EslAuthenticationException>(() => connecting);

        Assert.Equal(EslFailureKind.Rejected, error.Kind);
        Assert.Contains("Access Denied, go away.", error.ReplyText, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task ConnectAsync_nothing_listening_throws_transient_connection_error()
    {
        int port;
        await using (var server = new FakeEslServer())
        {
            port = server.Port;
        }

        var options = new EslConnectionOptions { Port = port, Password = "ClueCon", LivenessTimeout = null };

        var error = await Assert.ThrowsAsync<EslConnectionException>(() => EslConnection.ConnectAsync(options));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public void Validate_missing_password_fails_at_start()
    {
        var options = new EslConnectionOptions();

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("Password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_match_mod_event_socket_but_there_is_no_default_password()
    {
        var options = new EslConnectionOptions();

        // mod_event_socket listens on 127.0.0.1:8021; its stock password ClueCon must never be assumed.
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(8021, options.Port);
        Assert.Null(options.Password);
    }
}
