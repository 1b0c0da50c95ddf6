using CallControl.Auth;
using CallControl.Calls.Router;
using CallControl.Dialing;
using CallControl.Switch;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallControl.Rooms;

/// <summary>Registers and maps the rooms: the room API, signaling and the call router.</summary>
public static class RoomsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RoomsOptions"/> (section <c>Rooms</c>) and <see cref="SignalBusOptions"/> (section <c>Signaling</c>),
    /// both validated at start, and adds the signaling hub and bus, the call
    /// router (an <see cref="IFreeSwitchEventHandler"/>) and the room API's services. It needs the data, switch, auth,
    /// dialing and ICE parts; those not registered yet by their owners' lines are added here, once.
    /// </summary>
    public static IServiceCollection AddRooms(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!services.Any(d => d.ServiceType == typeof(TokenService)))
        {
            services.AddCallControlAuth(configuration);
        }

        if (!services.Any(d => d.ServiceType == typeof(DialingPolicy)))
        {
            services.AddDialing(configuration);
        }

        if (!services.Any(d => d.ServiceType == typeof(IceServers)))
        {
            services.AddIceServers(configuration);
        }

        services.AddOptions<RoomsOptions>()
            .Bind(configuration.GetSection(RoomsOptions.SectionName))
            .Validate(o => o.IsValid, "Rooms: RingTimeout, VertoLoginTtl and EndedCallGrace must be positive, PstnRingTimeout at least 1 s")
            .ValidateOnStart();
        services.AddProblemDetails();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(CallRouter.TimerClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddOptions<SignalBusOptions>()
            .Bind(configuration.GetSection(SignalBusOptions.SectionName))
            .Validate(o => o.IsValid, "Signaling: HeartbeatInterval, ReconnectCap and StateQueryTimeout must be positive, PeerTimeout at least twice HeartbeatInterval")
            .ValidateOnStart();
        services.AddSingleton<SignalHub>();
        services.AddSingleton<SignalStateStore>();
        // The router's notifier is the cluster's view: this instance's sockets (the hub) and its peers' (the bus).
        services.AddSingleton<SignalBus>();
        services.AddSingleton<ICallNotifier>(sp => sp.GetRequiredService<SignalBus>());
        services.AddHostedService(sp => sp.GetRequiredService<SignalBus>());
        services.AddSingleton<CallRouter>();
        services.AddSingleton<IFreeSwitchEventHandler>(sp => sp.GetRequiredService<CallRouter>());
        // Reconcile after a takeover or reconnect; forget a node's calls when its lease is lost.
        services.AddSingleton<INodeSteeringListener>(sp => sp.GetRequiredService<CallRouter>());
        services.AddSingleton<ResumeStore>();
        services.AddSingleton<RoomServices>();

        // Browsers cannot put a header on a WebSocket: signaling may carry the token as ?access_token=.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            jwt.Events ??= new JwtBearerEvents();
            var previous = jwt.Events.OnMessageReceived;
            jwt.Events.OnMessageReceived = async context =>
            {
                await previous(context).ConfigureAwait(false);
                if (context.Token is null &&
                    context.HttpContext.Request.Path.StartsWithSegments(SignalingApi.Path, StringComparison.Ordinal) &&
                    context.Request.Query["access_token"] is [{ Length: > 0 } token])
                {
                    context.Token = token;
                }
            };
        });
        return services;
    }

    /// <summary>Maps the room API and <c>/api/signal</c> (with WebSockets), and the verto directory if not mapped yet.</summary>
    public static WebApplication MapRoomsAndSignaling(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebSockets();
        var endpoints = (IEndpointRouteBuilder)app;
        var mapped = endpoints.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Any(e => e.RoutePattern.RawText == DirectoryApi.Path);
        if (!mapped)
        {
            app.MapFreeSwitchDirectory();
        }

        endpoints.MapRooms();
        app.MapSignaling();
        return app;
    }
}
