using System.Net;
using FreeSwitchSim.Core;
using FreeSwitchSim.Esl;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FreeSwitchSim.Http;

/// <summary>
/// The simulator's HTTP control API (JSON, 127.0.0.1 only): verto clients, channels, gateway rules and faults,
/// for the demo and for tests that drive the world from outside the process.
/// </summary>
public static partial class ControlApi
{
    private static readonly HashSet<string> Behaviours = new(StringComparer.Ordinal)
    {
        "answer", "early-answer", "busy", "noanswer", "decline", "notfound", "unreachable",
    };

    public static WebApplication Build(int port, ISwitchControl control, SimulatorFaults faults, TimeSpan restartDownTime)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton(control);
        builder.Services.AddSingleton(faults);
        builder.Services.AddSingleton(new RestartSettings(restartDownTime));
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.MapClients();
        app.MapChannels();
        app.MapGateways();
        app.MapFaults();
        app.MapGet("/events", StreamEventsAsync);
        app.MapGet("/runtime", RuntimeFigures.Now);
        return app;
    }

    public static int BoundPort(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address).Port;
    }

    private static void MapClients(this WebApplication app)
    {
        var clients = app.MapGroup("/clients/{user}");
        clients.MapPost("/login", LoginAsync);
        clients.MapPost("/logout", Logout);
        clients.MapPost("/calls", PlaceCall);
    }

    private static void MapChannels(this WebApplication app)
    {
        var channels = app.MapGroup("/channels");
        channels.MapGet("/", (ISwitchControl sw) => TypedResults.Ok(sw.Channels()));
        channels.MapGet("/{uuid}", GetChannel);
        channels.MapPost("/{uuid}/answer", Answer);
        channels.MapPost("/{uuid}/hangup", Hangup);
        channels.MapPost("/{uuid}/dtmf", Dtmf);
    }

    private static void MapGateways(this WebApplication app) => app.MapPut("/gateways/{gateway}/rules", SetRules);

    private static void MapFaults(this WebApplication app) => app.MapPost("/faults/{kind}", Fault);

    private static ProblemHttpResult Bad(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    private static ProblemHttpResult NoChannel(string uuid) => TypedResults.Problem($"No channel {uuid}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    internal sealed record RestartSettings(TimeSpan DownTime);

    public sealed record LoginRequest(string? Password, IReadOnlyDictionary<string, string>? UserVariables = null);

    public sealed record CallRequest(string? Destination, int? AutoAnswerMs, int? AutoHangupMs);

    public sealed record CallCreated(string Uuid);

    public sealed record HangupRequest(string? Cause);

    public sealed record DtmfRequest(string? Digits);

    public sealed record RuleRequest(string? Prefix, string? Behaviour, int? DelayMs);

    public sealed record FaultRequest(double? Seconds, bool? Acl);

    public sealed record LoginResult(string User, bool LoggedIn);
}
