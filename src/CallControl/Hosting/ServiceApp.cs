using CallControl.Admin;
using CallControl.Calls.Dtmf;
using CallControl.Calls.Recording;
using CallControl.Cdr;
using CallControl.Data;
using CallControl.Health;
using CallControl.Observability;
using CallControl.Rooms;
using CallControl.Switch;
using CallControl.Webhooks;

namespace CallControl.Hosting;

/// <summary>
/// Builds the service's <see cref="WebApplication"/>: the one place that lists its parts, shared by <c>Program.cs</c>
/// and the in-process test host so both run the same pipeline. Parts not yet listed here are added by their owners.
/// </summary>
public static class ServiceApp
{
    /// <summary>Registers the service's parts on <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddServiceParts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddCallControlData(builder.Configuration);
        builder.Services.AddSingleton<DatabaseProbe>();
        builder.Services.AddSingleton<DatabaseWatch>();
        builder.Services.AddHostedService(s => s.GetRequiredService<DatabaseWatch>());
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddHostedService<MigrateOnStart>();
        builder.Services.AddJobs(builder.Configuration); // right after the migrations: see AddJobs
        builder.Services.AddFreeSwitchNodes(builder.Configuration);
        builder.Services.AddCdr(builder.Configuration);
        builder.Services.AddRooms(builder.Configuration);
        builder.Services.AddDtmf();
        builder.Services.AddWebhooks();
        builder.Services.AddRecordingControl(builder.Configuration);
        builder.Services.AddObservability();
        builder.AddRequestLimits();
        return builder;
    }

    /// <summary>Maps the service's endpoints on <paramref name="app"/>.</summary>
    public static WebApplication MapServiceEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.MapHealth();
        app.MapCdr();
        app.MapRoomsAndSignaling();
        app.MapAdminApi();
        app.MapAdminConsole();
        app.MapNodesApi();
        app.MapDtmf();
        app.MapWebhooksAdmin();
        app.MapJobsDashboard();
        app.MapRecordings();
        app.MapMetrics();
        return app;
    }

    /// <summary>A builder from <paramref name="args"/>, <paramref name="configure"/> (tests override configuration
    /// and Kestrel there), then the parts; build it and call <see cref="MapServiceEndpoints"/>.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings files live beside the binary, whatever folder ./callcontrol is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        builder.AddServiceParts();
        var app = builder.Build();
        app.MapServiceEndpoints();
        return app;
    }

    /// <summary>Applies pending migrations before the node pool starts (hosted services start in registration order),
    /// so the first CHANNEL_HANGUP_COMPLETE finds its table.</summary>
    private sealed class MigrateOnStart(DatabaseMigrator migrator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
