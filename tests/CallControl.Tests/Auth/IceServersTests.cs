using System.Security.Cryptography;
using System.Text;
using CallControl.Rooms;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Tests.Auth;

public sealed class IceServersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static IceServers Ice(string[]? turn = null) => new(
        Options.Create(new IceServersOptions
        {
            StunUrls = ["stun:turn.example.test:3478"],
            TurnUrls = turn ?? ["turn:turn.example.test:3478?transport=udp", "turns:turn.example.test:5349"],
            TurnSecret = "coturn-static-auth-secret",
            CredentialTtl = TimeSpan.FromMinutes(30),
        }),
        new FakeTimeProvider(Now));

    [Fact]
    public void For_gives_turn_credentials_as_coturn_checks_them()
    {
        var config = Ice().For("alice", "full-cone");

        var turn = config.IceServers.Single(s => s.Username is not null);
        var expiry = Now.AddMinutes(30).ToUnixTimeSeconds();
        Assert.Equal($"{expiry}:alice", turn.Username);
        // Independently: coturn's use-auth-secret check is base64(HMAC-SHA1(secret, username)).
#pragma warning disable CA5350 // SHA-1 is what coturn computes.
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes("coturn-static-auth-secret"));
        Assert.Equal(Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{expiry}:alice"))), turn.Credential);
#pragma warning restore CA5350
        Assert.Equal(["turn:turn.example.test:3478?transport=udp", "turns:turn.example.test:5349"], turn.Urls);
        Assert.Equal(["stun:turn.example.test:3478"], config.IceServers.Single(s => s.Username is null).Urls);
    }

    [Fact]
    public void TurnCredentials_matches_a_known_vector()
    {
        // Computed outside .NET: printf '1795708041:alice' | openssl dgst -sha1 -hmac 'secret' -binary | base64
        var (username, credential) = IceServers.TurnCredentials("secret", "alice", DateTimeOffset.FromUnixTimeSeconds(1795708041));

        Assert.Equal("1795708041:alice", username);
        Assert.Equal(KnownVector, credential);
    }

    [Theory]
    [InlineData("symmetric", IceServers.Relay)]
    [InlineData("Symmetric", IceServers.Relay)]
    [InlineData("full-cone", IceServers.All)]
    [InlineData("restricted", IceServers.All)]
    [InlineData(null, IceServers.All)]
    public void For_uses_relay_only_behind_a_symmetric_nat(string? natType, string policy)
    {
        Assert.Equal(policy, Ice().For("bob", natType).IceTransportPolicy);
    }

    [Fact]
    public void For_without_turn_urls_gives_no_credentials()
    {
        var config = Ice(turn: []).For("bob", null);

        Assert.All(config.IceServers, s => Assert.Null(s.Credential));
    }

    internal const string KnownVector = "brvUAwl+yHPyqdlEEacaaqe0Jks=";
}
