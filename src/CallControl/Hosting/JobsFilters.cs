using Hangfire.Common;

namespace CallControl.Hosting;

/// <summary>
/// Job filters that belong to this service instance: Hangfire's global filters (its default retry among them) plus
/// every filter registered with <see cref="AddJobFilter{T}"/>, resolved from this container. Hangfire's own
/// <c>GlobalJobFilters</c> is process-wide: two service hosts in one process (tests) would each add theirs there.
/// </summary>
public static class JobsFilters
{
    /// <summary>Runs the singleton <typeparamref name="T"/> as a global filter on this service's jobs.</summary>
    public static IServiceCollection AddJobFilter<T>(this IServiceCollection services)
        where T : class
    {
        services.AddSingleton(new JobFilterType(typeof(T)));
        return services;
    }

    internal sealed record JobFilterType(Type Type);

    internal sealed class Provider(IServiceProvider services, IEnumerable<JobFilterType> types) : IJobFilterProvider
    {
        private readonly Lazy<JobFilter[]> _own = new(() =>
            [.. types.Select(t => new JobFilter(services.GetRequiredService(t.Type), JobFilterScope.Global, null))]);

        public IEnumerable<JobFilter> GetFilters(Job job) => JobFilterProviders.Providers.GetFilters(job).Concat(_own.Value);
    }
}
