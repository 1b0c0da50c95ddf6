using CallControl.Switch;

namespace CallControl.Calls.Dtmf;

public static class DtmfServiceCollectionExtensions
{
    /// <summary>
    /// Adds the DTMF sender, the <c>call_dtmf</c> store, the DTMF event handler (an <see cref="IFreeSwitchEventHandler"/>)
    /// and the <c>Dtmf</c> options. Needs the data, switch and rooms parts (the call router).
    /// </summary>
    public static IServiceCollection AddDtmf(this IServiceCollection services)
    {
        services.AddOptions<DtmfOptions>().BindConfiguration(DtmfOptions.Section);
        services.AddSingleton<DtmfStore>();
        services.AddSingleton<DtmfSender>();
        services.AddSingleton<IFreeSwitchEventHandler, DtmfPressRecorder>();
        return services;
    }
}
