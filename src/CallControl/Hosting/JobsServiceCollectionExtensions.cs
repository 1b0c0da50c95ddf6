using CallControl.Data;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Options;

namespace CallControl.Hosting;

/// <summary>
/// Registers Hangfire on the service's PostgreSQL: the job storage (schema <c>Jobs:Schema</c>), its schema installer
/// (runs after the migrations), the job client, and unless <c>Jobs:Enabled</c> is false a Hangfire server inside this
/// process. The dashboard is mapped by <see cref="JobsDashboard.MapJobsDashboard"/>.
/// </summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the jobs. Register it right after the database migrator's hosted service: hosted services start in
    /// registration order, so the Hangfire schema exists before anything (the node pool's event handlers) enqueues,
    /// and the server starts only after both.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Hangfire.PostgreSql is synchronous, which a multiplexed connection refuses.
        var connectionString = DataServiceCollectionExtensions.Dedicated(
            configuration.GetConnectionString(DataServiceCollectionExtensions.ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{DataServiceCollectionExtensions.ConnectionStringName} is not set"));
        var section = configuration.GetSection(JobsOptions.SectionName);
        var jobs = section.Get<JobsOptions>() ?? new JobsOptions();
        if (!jobs.IsValid(out var problem))
        {
            throw new InvalidOperationException(problem);
        }

        services.AddOptions<JobsOptions>().Bind(section);

        // The storage is this container's own singleton, not Hangfire's process-wide JobStorage.Current: the client,
        // the server and the dashboard take it from here, so two service hosts in one process (tests) never share it.
        // It does not touch the database when built; JobStorageInstaller prepares the schema at start.
        services.AddSingleton<JobStorage>(_ =>
        {
            var storageOptions = new PostgreSqlStorageOptions
            {
                SchemaName = jobs.Schema,
                PrepareSchemaIfNecessary = false,
                QueuePollInterval = jobs.PollInterval,
                // Off by default: see JobsOptions.LongPolling.
                EnableLongPolling = jobs.LongPolling,
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
        });
        // Registered before AddHangfire (which only adds one if none is there): the client, the server's performer and
        // state changer take their filters from here.
        // Hangfire.AspNetCore's default activator is JobActivator.Current, process-wide and set by whichever host
        // configured last: jobs would be built from another host's container. This one uses this container's scopes.
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IJobFilterProvider>(sp => new JobsFilters.Provider(sp, sp.GetServices<JobsFilters.JobFilterType>()));
        // The callback runs once per container, on Hangfire's process-wide configuration, after AddHangfire pointed
        // the log provider at this container's logger factory: replace that with the bridge (see JobsLogBridge).
        services.AddSingleton<JobsLogRegistration>();
        services.AddHangfire((sp, config) =>
        {
            sp.GetRequiredService<JobsLogRegistration>();
            config
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(JobsLogBridge.Instance);
        });
        services.AddHostedService<JobStorageInstaller>();
        if (jobs.Enabled)
        {
            services.AddHangfireServer((sp, server) =>
            {
                server.WorkerCount = sp.GetRequiredService<IOptions<JobsOptions>>().Value.Workers;
                server.ServerName = $"callcontrol:{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        services.AddJobsDashboardAuth();
        return services;
    }

    /// <summary>This container's logger factory registered with <see cref="JobsLogBridge"/> for as long as the
    /// container lives (the container disposes it, and with it the registration, before the factory).</summary>
    private sealed class JobsLogRegistration(ILoggerFactory factory) : IDisposable
    {
        private readonly IDisposable _registration = JobsLogBridge.Instance.Register(factory);

        public void Dispose() => _registration.Dispose();
    }
}
