namespace CallControl.Observability;

/// <summary>Registers the metrics (instruments, collector, sampler).</summary>
public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ServiceMetrics"/>, the <see cref="MetricsCollector"/> behind <c>/metrics</c> (map it with
    /// <c>MapMetrics()</c>) and the <see cref="BacklogSampler"/>. Hangfire's queues are reported when a
    /// <c>JobStorage</c> is registered by whoever adds Hangfire.
    /// </summary>
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.SectionName)
            .Validate(o => o.SampleInterval > TimeSpan.Zero, "Observability:SampleInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<BacklogSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<BacklogSampler>());
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<MetricsCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsCollector>());
        return services;
    }
}
