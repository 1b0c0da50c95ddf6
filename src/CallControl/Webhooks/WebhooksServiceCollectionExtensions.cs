using CallControl.Data;
using CallControl.Recording;
using Microsoft.Extensions.Options;

namespace CallControl.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Adds status webhooks: the <c>Webhooks</c> options (checked at start), the event store and admin query, the
    /// delivery (a named HttpClient that follows no redirect) as Hangfire jobs enqueued off the caller's path
    /// (<see cref="QueuedWebhookJobs"/>), the dispatcher of due retries, the
    /// call status observer and the recording status sink. Needs the data part and the jobs (Hangfire) part.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.Problem() is null, "Webhooks settings are invalid (see WebhookOptions.Problem)")
            .ValidateOnStart();
        services.AddSingleton<WebhookEventStore>();
        services.AddSingleton(sp => new WebhookQuery(sp.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(DataServiceCollectionExtensions.AdminDataSourceKey)));
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<WebhookDelivery>();
        // Hangfire's enqueue runs from a background loop: recording an event (under a call's gate) does not wait for it.
        services.AddSingleton<HangfireWebhookJobs>();
        services.AddSingleton(sp => new QueuedWebhookJobs(sp.GetRequiredService<HangfireWebhookJobs>(), sp.GetRequiredService<ILogger<QueuedWebhookJobs>>()));
        services.AddSingleton<IWebhookJobs>(sp => sp.GetRequiredService<QueuedWebhookJobs>());
        services.AddHostedService(sp => sp.GetRequiredService<QueuedWebhookJobs>());
        services.AddTransient<WebhookDeliveryJob>();
        services.AddSingleton<ICallStatusObserver, CallStatusWebhooks>();
        services.AddSingleton<IRecordingStatusSink, RecordingStatusWebhooks>();
        services.AddHttpClient(WebhookDelivery.HttpClientName)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddHostedService<WebhooksOffNotice>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }

    /// <summary>Says at start when webhooks are off (no secret), so a missing setting is not a silent mystery.</summary>
    private sealed class WebhooksOffNotice(IOptions<WebhookOptions> options, ILogger<WebhooksOffNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.Enabled)
            {
                WebhooksLog.Disabled(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
