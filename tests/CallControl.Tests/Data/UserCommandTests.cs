using CallControl.Cli;
using CallControl.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CallControl.Tests.Data;

[Collection(DatabaseGroup.Name)]
public sealed class UserCommandTests(DatabaseFixture db)
{
    private IConfiguration Config() => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:CallControl"] = db.ConnectionString })
        .Build();

    [Fact]
    public async Task User_add_writes_the_user()
    {
        var id = "carol-" + Guid.NewGuid().ToString("N")[..8];
        var stdout = new StringWriter();

        var code = await UserCommand.RunAsync(
            ["add", id, "--name", "Carol Smith", "--phone", "+15551230001", "--no-fallback"], Config(), stdout, new StringWriter(), default);

        Assert.Equal(0, code);
        var user = await db.Users.GetAsync(id);
        Assert.NotNull(user);
        Assert.Equal("Carol Smith", user.DisplayName);
        Assert.Equal("+15551230001", user.PhoneNumber);
        Assert.False(user.PstnFallbackAllowed);
        Assert.Contains(id, stdout.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5551230001")]
    [InlineData("+1 555 123 0001")]
    [InlineData("+１５５５１２３０００１")]
    [InlineData("+15551230001,sofia/gateway/x/+1900")]
    public async Task User_add_with_an_invalid_phone_exits_2_with_a_clear_error_and_writes_nothing(string phone)
    {
        var id = "dave-" + Guid.NewGuid().ToString("N")[..8];
        var stderr = new StringWriter();

        var code = await UserCommand.RunAsync(["add", id, "--name", "Dave", "--phone", phone], Config(), new StringWriter(), stderr, default);

        Assert.Equal(2, code);
        Assert.Contains("E.164", stderr.ToString(), StringComparison.Ordinal);
        Assert.Null(await db.Users.GetAsync(id));
    }

    [Fact]
    public async Task User_add_of_an_existing_id_exits_1_and_keeps_the_first()
    {
        var id = await db.NewUserAsync();

        var code = await UserCommand.RunAsync(["add", id, "--name", "Other"], Config(), new StringWriter(), new StringWriter(), default);

        Assert.Equal(1, code);
        Assert.NotEqual("Other", (await db.Users.GetAsync(id))!.DisplayName);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("remove|x")]
    [InlineData("add|bad id|--name|x")]
    [InlineData("add|erin")]
    public async Task User_with_bad_arguments_exits_2(string argLine)
    {
        Assert.Equal(2, await UserCommand.RunAsync(argLine.Split('|'), Config(), new StringWriter(), new StringWriter(), default));
    }
}
