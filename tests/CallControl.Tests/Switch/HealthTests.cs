using System.Net;
using System.Text.Json;
using CallControl.Tests.Support;
using FreeSwitchSim;

namespace CallControl.Tests.Switch;

/// <summary>/health/live and /health/ready through the real pipeline.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class HealthTests
{
    [Fact]
    public async Task Ready_is_503_naming_the_node_until_it_connects_then_200()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions());
        // Refused until the not-ready answer is in hand, however long the service takes to start on a loaded machine.
        sim.Faults.Refuse(TimeSpan.FromMinutes(5));
        await using var service = await ServiceHost.StartAsync(new Dictionary<string, int> { ["node1"] = sim.EslPort });

        using var live = await service.Http.GetAsync("/health/live");
        using var notReady = await service.Http.GetAsync("/health/ready");
        using var notReadyBody = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync());
        sim.Faults.Refuse(TimeSpan.FromMilliseconds(1));
        var ready = await ServiceHostWait.UntilAsync(
            () => service.Http.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready");
        using var readyBody = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        ready.Dispose();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("no FreeSWITCH node is connected", notReadyBody.RootElement.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.True(notReadyBody.RootElement.GetProperty("database").GetProperty("ok").GetBoolean());
        Assert.Equal("ready", readyBody.RootElement.GetProperty("status").GetString());
        var node = Assert.Single(readyBody.RootElement.GetProperty("nodes").EnumerateArray());
        Assert.Equal("node1", node.GetProperty("name").GetString());
        Assert.True(node.GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task Ready_is_503_when_no_node_is_configured()
    {
        await using var service = await ServiceHost.StartAsync();

        using var response = await service.Http.GetAsync("/health/ready");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no FreeSWITCH node is configured", body.RootElement.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
    }
}
