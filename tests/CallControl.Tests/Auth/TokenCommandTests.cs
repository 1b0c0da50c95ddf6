using CallControl.Auth;
using CallControl.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CallControl.Tests.Auth;

public sealed class TokenCommandTests
{
    private const string Key = "cli-test-signing-key-0123456789-abcdefghijkl";

    private static IConfiguration Config(string? key = Key) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = key }).Build();

    [Fact]
    public async Task Token_prints_a_token_the_service_accepts_with_subject_role_and_ttl()
    {
        var stdout = new StringWriter();
        var before = DateTime.UtcNow;

        var code = await TokenCommand.RunAsync(["--user", "alice", "--role", "admin", "--ttl", "30m"], Config(), stdout, new StringWriter());

        Assert.Equal(0, code);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(
            stdout.ToString().Trim(), TokenService.ValidationParameters(new AuthOptions { SigningKey = Key }));
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal("admin", jwt.GetClaim("role").Value);
        Assert.InRange(jwt.ValidTo - before, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
    }

    [Theory]
    [InlineData("")]
    [InlineData("--user")]
    [InlineData("--user|al ice")]
    [InlineData("--user|alice|--ttl|0h")]
    [InlineData("--user|alice|--ttl|soon")]
    [InlineData("--user|alice|--bogus")]
    public async Task Token_with_bad_arguments_exits_2_and_prints_nothing(string argLine)
    {
        var args = argLine.Split('|', StringSplitOptions.RemoveEmptyEntries);
        var stdout = new StringWriter();

        Assert.Equal(2, await TokenCommand.RunAsync(args, Config(), stdout, new StringWriter()));
        Assert.Equal("", stdout.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public async Task Token_without_a_usable_key_fails_and_names_the_setting(string? key)
    {
        var stderr = new StringWriter();

        Assert.Equal(1, await TokenCommand.RunAsync(["--user", "alice"], Config(key), new StringWriter(), stderr));
        Assert.Contains("Auth__SigningKey", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 604800)]
    [InlineData("01:00:00", 3600)]
    public void TryParseTtl_reads_the_units(string text, int seconds)
    {
        Assert.True(TokenCommand.TryParseTtl(text, out var ttl));
        Assert.Equal(TimeSpan.FromSeconds(seconds), ttl);
    }
}
