using CallControl.Auth;
using CallControl.Cdr.Journal;
using CallControl.Switch;

namespace CallControl.Cdr;

/// <summary>Registers the CDR writer and its event path.</summary>
public static class CdrServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="CdrWriter"/> (batches, <c>Cdr:EventHold</c>, <c>Cdr:MaxBatch</c>) with its journal for database outages (<c>Cdr:JournalPath</c>) and the replay loop, the CHANNEL_HANGUP_COMPLETE handler (an <see cref="IFreeSwitchEventHandler"/>), the stats rollup's
    /// <see cref="Query.CallStatsFolder"/>, and
    /// binds the callback secret (<c>FreeSwitch:CallbackUser</c>/<c>CallbackSecret</c>) that <c>POST /fs/cdr</c> checks.
    /// Needs the data services (<c>AddCallControlData</c>: <c>LegStore</c>). Map the endpoint with <c>MapCdr()</c>.
    /// </summary>
    public static IServiceCollection AddCdr(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FreeSwitchCallbackOptions>().Bind(configuration.GetSection(FreeSwitchCallbackOptions.SectionName));
        services.AddOptions<CdrJournalOptions>().Bind(configuration.GetSection(CdrJournalOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.JournalPath), "Cdr:JournalPath must name a file.")
            .Validate(o => o.JournalReplayInterval > TimeSpan.Zero, "Cdr:JournalReplayInterval must be positive.")
            .ValidateOnStart();
        services.AddOptions<CdrWriterOptions>().Bind(configuration.GetSection(CdrJournalOptions.SectionName))
            .Validate(o => o.EventHold >= TimeSpan.Zero && o.EventHold <= TimeSpan.FromSeconds(30), "Cdr:EventHold must be between 0 and 30 seconds.")
            .Validate(o => o.PostHold >= TimeSpan.Zero && o.PostHold <= TimeSpan.FromSeconds(5), "Cdr:PostHold must be between 0 and 5 seconds.")
            .Validate(o => o.MaxBatch is >= 1 and <= 1000, "Cdr:MaxBatch must be between 1 and 1000.")
            .Validate(o => o.StoreDeadline > TimeSpan.Zero && o.StoreDeadline <= TimeSpan.FromSeconds(60), "Cdr:StoreDeadline must be between 0 (excluded) and 60 seconds.")
            .ValidateOnStart();
        services.AddSingleton<CdrJournal>();
        services.AddHostedService<CdrJournalReplayer>();
        services.AddSingleton<CdrWriter>();
        services.AddSingleton<IFreeSwitchEventHandler, HangupCdrHandler>();
        services.AddSingleton<Query.CallStatsFolder>();
        services.AddHostedService(sp => sp.GetRequiredService<Query.CallStatsFolder>());
        return services;
    }
}
