using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using CallControl.Auth;
using CallControl.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CallControl.Tests.Auth;

public sealed class TokenAuthTests : IAsyncLifetime
{
    private TestWebHost _host = null!;

    public async Task InitializeAsync() => _host = await TestWebHost.StartAsync(null, TestWebHost.MapProbes);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static TokenService Tokens(string key = TestWebHost.SigningKey, TimeProvider? time = null) =>
        new(Options.Create(new AuthOptions { SigningKey = key }), time ?? TimeProvider.System);

    [Fact]
    public async Task A_minted_token_is_accepted_and_its_subject_is_the_user()
    {
        var (status, body) = await GetAsync("/probe/user", Tokens().Mint("alice", null, TimeSpan.FromHours(1)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alice", body);
    }

    [Fact]
    public async Task No_token_is_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/probe/user", null)).Status);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var forged = Tokens("another-key-that-is-long-enough-0123456789").Mint("alice", "admin", TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/probe/user", forged)).Status);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var twoHoursAgo = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var expired = Tokens(time: twoHoursAgo).Mint("alice", null, TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/probe/user", expired)).Status);
    }

    [Fact]
    public async Task A_token_with_a_tampered_payload_is_401()
    {
        var token = Tokens().Mint("alice", null, TimeSpan.FromHours(1));
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]));
        Assert.Contains("\"sub\":\"alice\"", payload, StringComparison.Ordinal);
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode(payload.Replace("\"sub\":\"alice\"", "\"sub\":\"mallory\"", StringComparison.Ordinal)) + "." + parts[2];

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/probe/user", tampered)).Status);
    }

    [Fact]
    public async Task An_alg_none_token_is_401()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(
            $$"""{"sub":"alice","role":"admin","iss":"callcontrol","aud":"callcontrol","iat":{{now}},"nbf":{{now}},"exp":{{now + 3600}}}""");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/probe/user", header + "." + payload + ".")).Status);
    }

    [Theory]
    [InlineData("someone-else", "callcontrol", SecurityAlgorithms.HmacSha256)]
    [InlineData("callcontrol", "someone-else", SecurityAlgorithms.HmacSha256)]
    [InlineData("callcontrol", "callcontrol", SecurityAlgorithms.HmacSha512)]
    public async Task A_token_for_another_issuer_audience_or_algorithm_is_401(string issuer, string audience, string algorithm)
    {
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "alice")]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestWebHost.SigningKey + TestWebHost.SigningKey)), algorithm),
        });
        // HS512 needs a 64-byte key; the host's key doubled keeps the same secret material in it.
        var valid = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "callcontrol", Audience = "callcontrol", Subject = new ClaimsIdentity([new Claim("sub", "alice")]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestWebHost.SigningKey)), SecurityAlgorithms.HmacSha256),
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/probe/user", token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/probe/user", valid)).Status);
    }

    [Fact]
    public async Task The_admin_policy_wants_the_admin_role()
    {
        var user = Tokens().Mint("bob", null, TimeSpan.FromHours(1));
        var admin = Tokens().Mint("root", AuthPolicies.AdminRole, TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/probe/admin", user)).Status);
        Assert.Equal((HttpStatusCode.OK, "root"), await GetAsync("/probe/admin", admin));
    }

    [Fact]
    public void Mint_refuses_a_key_shorter_than_32_bytes()
    {
        Assert.Throws<InvalidOperationException>(() => Tokens("short").Mint("alice", null, TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789012345678901234567890")] // 31 bytes
    public void AddCallControlAuth_with_a_missing_or_short_key_fails_validation(string? key)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = key, ["FreeSwitch:CallbackUser"] = "fs", ["FreeSwitch:CallbackSecret"] = "s",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddCallControlAuth(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AuthOptions>>().Value);

        Assert.Contains("Auth:SigningKey", ex.Message, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _host.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
