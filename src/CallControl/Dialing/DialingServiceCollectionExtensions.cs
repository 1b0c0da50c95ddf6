using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallControl.Dialing;

/// <summary>Registers the dialing policy and the dial string builder.</summary>
public static class DialingServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="DialingOptions"/> from section <c>Dialing</c> (validated at start) and adds
    /// <see cref="DialingPolicy"/> and <see cref="DialStringBuilder"/>.
    /// </summary>
    public static IServiceCollection AddDialing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DialingOptions>()
            .Bind(configuration.GetSection(DialingOptions.SectionName))
            .Validate(o => o.AllGateways.All(DialStringBuilder.IsSafeValue), "Dialing gateways must be ASCII letters, digits, . _ -")
            .Validate(o => o.MaxConcurrentPstnCalls >= 0 && o.MaxPstnCallsPerDay >= 0, "Dialing limits must not be negative")
            .Validate(
                o => (o.AllowedPrefixes ?? []).Concat(o.BlockedPrefixes ?? []).All(IsPrefix),
                "Dialing prefixes must be '+' and ASCII digits, e.g. +1900")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DialingPolicy>();
        services.AddSingleton<DialStringBuilder>();
        return services;
    }

    private static bool IsPrefix(string prefix) =>
        prefix is { Length: >= 2 } && prefix[0] == '+' && prefix.Skip(1).All(char.IsAsciiDigit);
}
