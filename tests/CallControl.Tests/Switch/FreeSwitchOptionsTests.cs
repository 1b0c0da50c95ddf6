using CallControl.Switch;

namespace CallControl.Tests.Switch;

public sealed class FreeSwitchOptionsTests
{
    [Fact]
    public void Problems_of_a_valid_configuration_are_none()
    {
        var options = new FreeSwitchOptions();
        options.Nodes.Add(new FreeSwitchNodeOptions { Name = "fs-1", Host = "10.0.0.5", Port = 8021, Password = "s3cret", VertoUrl = "wss://fs1.example.com:8082" });
        options.Nodes.Add(new FreeSwitchNodeOptions { Name = "fs-2", Host = "10.0.0.6", Port = 8021, Password = "s3cret" });

        Assert.Empty(options.Problems());
    }

    [Theory]
    [InlineData("", "h", 8021, "p", null, "Name")]
    [InlineData("a b", "h", 8021, "p", null, "Name")]
    [InlineData("n", "", 8021, "p", null, "Host")]
    [InlineData("n", "h", 0, "p", null, "Port")]
    [InlineData("n", "h", 70000, "p", null, "Port")]
    [InlineData("n", "h", 8021, "", null, "Password")]
    [InlineData("n", "h", 8021, "p\nexit", null, "Password")]
    [InlineData("n", "h", 8021, "p", "http://fs/verto", "VertoUrl")]
    public void Problems_name_the_bad_setting(string name, string host, int port, string password, string? verto, string setting)
    {
        var options = new FreeSwitchOptions();
        options.Nodes.Add(new FreeSwitchNodeOptions { Name = name, Host = host, Port = port, Password = password, VertoUrl = verto });

        var problem = Assert.Single(options.Problems());
        Assert.Contains($"FreeSwitch:Nodes:0:{setting}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_include_a_duplicate_node_name()
    {
        var options = new FreeSwitchOptions();
        options.Nodes.Add(new FreeSwitchNodeOptions { Name = "fs", Password = "p" });
        options.Nodes.Add(new FreeSwitchNodeOptions { Name = "FS", Password = "p" });

        Assert.Contains("used twice", Assert.Single(options.Problems()), StringComparison.Ordinal);
    }
}
