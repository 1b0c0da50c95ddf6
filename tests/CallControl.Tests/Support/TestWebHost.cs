using CallControl.Auth;
using CallControl.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallControl.Tests.Support;

/// <summary>
/// A small real ASP.NET host on Kestrel 127.0.0.1:0 with the auth registrations (and, given a connection string,
/// the data services), for tests of the HTTP edge: tokens, policies, FreeSWITCH callbacks.
/// </summary>
public sealed class TestWebHost : IAsyncDisposable
{
    public const string SigningKey = "test-signing-key-0123456789-abcdefghijklmnop";
    public const string CallbackUser = "fs";
    public const string CallbackSecret = "dirsecret";

    private readonly WebApplication _app;

    private TestWebHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestWebHost> StartAsync(string? connectionString, Action<IEndpointRouteBuilder> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = SigningKey,
            ["FreeSwitch:CallbackUser"] = CallbackUser,
            ["FreeSwitch:CallbackSecret"] = CallbackSecret,
        });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddCallControlAuth(builder.Configuration);
        if (connectionString is not null)
        {
            builder.Services.AddCallControlData(connectionString);
        }

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestWebHost(app, new Uri(address));
    }

    /// <summary>Endpoints that show what authorization let through: <c>/probe/user</c> and <c>/probe/admin</c> echo the subject.</summary>
    public static void MapProbes(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/probe/user", (HttpContext c) => c.User.Identity!.Name).RequireAuthorization(AuthPolicies.User);
        endpoints.MapGet("/probe/admin", (HttpContext c) => c.User.Identity!.Name).RequireAuthorization(AuthPolicies.Admin);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
