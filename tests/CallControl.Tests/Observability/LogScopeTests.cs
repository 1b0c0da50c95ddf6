using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CallControl.Auth;
using CallControl.Calls.Router;
using CallControl.Data;
using CallControl.Hosting;
using CallControl.Rooms;
using CallControl.Switch;
using CallControl.Tests.Scenarios;
using CallControl.Tests.Support;
using FreeSwitchSim;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallControl.Tests.Observability;

/// <summary>The router's log lines carry the call and room ids as scope properties (what the JSON console formatter
/// writes with <c>IncludeScopes</c>), through the real pipeline with a capturing logger provider.</summary>
[Collection(ServiceHostGroup.Name)]
public sealed class LogScopeTests
{
    [Fact]
    public async Task Router_lines_name_the_call_and_room_and_leg_events_name_the_leg()
    {
        await ServiceHostDatabase.MigrateOnceAsync();
        FreeSwitchSim.Switch.SimSwitchOptions? simOptions = null;
        await using var sim = await SimulatorHost.StartAsync(new SimulatorHostOptions { ConfigureSwitch = o => simOptions = o });
        var capture = new CapturingLoggerProvider();
        await using var app = ServiceApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = ServiceHostDatabase.ConnectionString,
                ["FreeSwitch:CallbackUser"] = "fs",
                ["FreeSwitch:CallbackSecret"] = "log-scope-secret",
                ["FreeSwitch:Nodes:0:Name"] = "logs1",
                ["FreeSwitch:Nodes:0:Host"] = "127.0.0.1",
                ["FreeSwitch:Nodes:0:Port"] = sim.EslPort.ToString(CultureInfo.InvariantCulture),
                ["FreeSwitch:Nodes:0:Password"] = "ClueCon",
                ["FreeSwitch:Nodes:0:VertoUrl"] = "ws://127.0.0.1:8081",
                ["Auth:SigningKey"] = "log-scope-test-signing-key-0123456789-abcdef",
                ["Jobs:Schema"] = JobsSchema.Unique(),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:CallControl.Calls"] = "Debug",
            });
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.AddProvider(capture);
        });
        await app.StartAsync();
        await ServiceHostWait.UntilAsync(() => app.Services.GetRequiredService<NodePool>().AnyConnected, "connected");
        var caller = "logs-" + Guid.NewGuid().ToString("N")[..10];
        await app.Services.GetRequiredService<UserStore>().AddAsync(new UserRecord { Id = caller, DisplayName = caller });
        var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        // The simulator checks verto logins against the service's directory, as mod_xml_curl does.
        simOptions!.XmlCurlDirectoryUrl = new Uri(baseAddress, DirectoryApi.Path);
        simOptions.XmlCurlUser = "fs";
        simOptions.XmlCurlPassword = "log-scope-secret";
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", app.Services.GetRequiredService<TokenService>().Mint(caller, null, TimeSpan.FromHours(1)));

        var room = await http.CreateRoomAsync(new { calleeNumber = "+15551237001" });
        Assert.True(await sim.Switch.LoginAsync(room.Verto.Login, room.Verto.Password, CancellationToken.None), "verto login");
        var leg = sim.Switch.PlaceCall(room.Verto.Login, room.Verto.Destination);
        var lines = await ServiceHostWait.UntilAsync(
            () => Task.FromResult(capture.Records.Where(r => r.Category == typeof(CallRouter).FullName).ToList()),
            records => records.Any(r => Equals(r.Scope.GetValueOrDefault("LegUuid"), leg) && r.Scope.ContainsKey("CallId")),
            "a router line while the caller's leg is handled");

        var callLines = lines.Where(r => r.Scope.ContainsKey("CallId")).ToList();
        Assert.NotEmpty(callLines);
        Assert.All(callLines, r => Assert.Equal(room.CallId, r.Scope["CallId"]));
        Assert.All(callLines, r => Assert.Equal(room.RoomId, r.Scope["RoomId"]));
        Assert.Contains(callLines, r => r.EventId.Id == 2101);
        Assert.Contains(lines, r => Equals(r.Scope.GetValueOrDefault("LegUuid"), leg) && Equals(r.Scope.GetValueOrDefault("CallId"), room.CallId));
        sim.Switch.Hangup(leg);
        await app.StopAsync();
    }
}
