using CallControl.Tests.Scenarios;

namespace CallControl.Tests.Webhooks;

/// <summary>
/// A <see cref="RoomWorld"/> (simulator, service, real PostgreSQL and Hangfire) with status webhooks on: the deployment
/// URL points at <see cref="Deployment"/>, attempts time out after 1 s and are retried after short delays. Tests give
/// their rooms their own receiver (a room URL) so each test sees only its own calls.
/// </summary>
public sealed class WebhookWorld : IAsyncLifetime
{
    public const string Secret = "world-webhook-secret-0123456789";

    private RoomWorld? _world;
    private WebhookReceiver? _deployment;

    public RoomWorld Rooms => _world!;

    internal WebhookReceiver Deployment => _deployment!;

    public async Task InitializeAsync()
    {
        _deployment = await WebhookReceiver.StartAsync(Secret);
        _world = new RoomWorld(new Dictionary<string, string?>
        {
            ["Webhooks:Url"] = _deployment.Url.AbsoluteUri,
            ["Webhooks:Secret"] = Secret,
            ["Webhooks:Timeout"] = "00:00:01",
            ["Webhooks:MaxAttempts"] = "5",
            ["Webhooks:FirstRetryDelay"] = "00:00:00.200",
            ["Webhooks:MaxRetryDelay"] = "00:00:01",
            ["Webhooks:PollInterval"] = "00:00:00.100",
        });
        await _world.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_world is not null)
        {
            await _world.DisposeAsync();
        }

        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookWorldGroup : ICollectionFixture<WebhookWorld>
{
    public const string Name = "webhook world";
}
