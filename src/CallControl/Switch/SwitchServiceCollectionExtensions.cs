using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Switch;

/// <summary>Registers the FreeSWITCH node pool.</summary>
public static class SwitchServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="FreeSwitchOptions"/> from the <c>FreeSwitch</c> section (validated at start) and registers the
    /// <see cref="NodePool"/> as a singleton and a hosted service. Register <see cref="IFreeSwitchEventHandler"/>s and
    /// <see cref="INodeConnectionListener"/>s as singletons to receive events and connection transitions.
    /// </summary>
    public static IServiceCollection AddFreeSwitchNodes(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FreeSwitchOptions>()
            .Bind(configuration.GetSection(FreeSwitchOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FreeSwitchOptions>, FreeSwitchOptionsValidator>();
        services.AddOptions<ClusterOptions>()
            .Bind(configuration.GetSection(ClusterOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Each node is steered by one instance at a time: the holder of its advisory lock in the service's database.
        var connectionString = configuration.GetConnectionString(Data.DataServiceCollectionExtensions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton(sp => new NodeLeases(
                connectionString, sp.GetRequiredService<IOptions<ClusterOptions>>(), sp.GetRequiredService<ILoggerFactory>()));
        }

        services.AddSingleton<NodeDrainStore>();
        services.AddSingleton<NodeSelector>();
        services.AddSingleton<NodePool>();
        services.AddHostedService(sp => sp.GetRequiredService<NodePool>());
        return services;
    }

    /// <summary>Names every problem instead of one generic message.</summary>
    private sealed class FreeSwitchOptionsValidator : IValidateOptions<FreeSwitchOptions>
    {
        public ValidateOptionsResult Validate(string? name, FreeSwitchOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
