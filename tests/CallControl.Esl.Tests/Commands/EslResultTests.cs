using CallControl.Esl.Commands;

namespace CallControl.Esl.Tests.Commands;

public sealed class EslResultTests
{
    [Theory]
    [InlineData("+OK accepted", true, "accepted")]
    [InlineData("-ERR invalid", false, "invalid")]
    [InlineData("-ERR No such channel!\n", false, "No such channel!")]
    [InlineData("-USAGE: <uuid>\n", false, "<uuid>")]
    [InlineData("false", true, "false")]
    [InlineData("+OK 1670bdc0-84a1-473c-8bdd-4f9e80f73e65\n", true, "1670bdc0-84a1-473c-8bdd-4f9e80f73e65")]
    public void Text_decides_ok_and_value(string text, bool ok, string value)
    {
        var result = new EslResult(text);

        Assert.Equal(ok, result.Ok);
        Assert.Equal(value, result.Value);
    }

    [Fact]
    public void EnsureOk_on_refusal_throws_command_exception_with_the_text()
    {
        var error = Assert.Throws<EslCommandException>(() => new EslResult("-ERR Invalid uuid").EnsureOk("api uuid_bridge a b"));

        Assert.Equal("-ERR Invalid uuid", error.ReplyText);
        Assert.Equal("api uuid_bridge a b", error.Command);
    }
}
