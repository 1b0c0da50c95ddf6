using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallControl.Rooms;

/// <summary>One entry of RTCConfiguration.iceServers (JSON: <c>urls</c>, <c>username</c>, <c>credential</c>).</summary>
public sealed record IceServer(IReadOnlyList<string> Urls, string? Username = null, string? Credential = null);

/// <summary>What a client needs to set up its RTCPeerConnection.</summary>
public sealed record IceConfiguration(IReadOnlyList<IceServer> IceServers, string IceTransportPolicy);

/// <summary>
/// ICE servers with time-limited TURN credentials by the TURN REST API convention that coturn implements
/// (<c>use-auth-secret</c>): username = <c>&lt;expiry unix seconds&gt;:&lt;user id&gt;</c>, credential =
/// base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC and refuses the username after its expiry.
/// </summary>
public sealed class IceServers(IOptions<IceServersOptions> options, TimeProvider timeProvider)
{
    /// <summary>RTCIceTransportPolicy: relay only, or any candidate.</summary>
    public const string Relay = "relay";
    public const string All = "all";

    /// <summary>The ICE configuration for <paramref name="userId"/>; a <c>symmetric</c> NAT gets relay-only.</summary>
    public IceConfiguration For(string userId, string? natType)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var o = options.Value;
        var servers = new List<IceServer>();
        if (o.StunUrls is { Length: > 0 } stun)
        {
            servers.Add(new IceServer(stun));
        }

        if (o.TurnUrls is { Length: > 0 } turn)
        {
            var expiry = timeProvider.GetUtcNow() + o.CredentialTtl;
            var (username, credential) = TurnCredentials(o.TurnSecret, userId, expiry);
            servers.Add(new IceServer(turn, username, credential));
        }

        // Behind a symmetric NAT host and server-reflexive candidates do not connect; only TURN relays do.
        var policy = string.Equals(natType, "symmetric", StringComparison.OrdinalIgnoreCase) ? Relay : All;
        return new IceConfiguration(servers, policy);
    }

    /// <summary>The TURN REST API credentials for <paramref name="userId"/> expiring at <paramref name="expiry"/>.</summary>
    public static (string Username, string Credential) TurnCredentials(string secret, string userId, DateTimeOffset expiry)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var username = expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ":" + userId;
#pragma warning disable CA5350 // HMAC-SHA1 is what the TURN REST API and coturn specify; it is not our choice.
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username));
#pragma warning restore CA5350
        return (username, Convert.ToBase64String(mac));
    }
}

/// <summary>Registers <see cref="IceServers"/>.</summary>
public static class IceServersServiceCollectionExtensions
{
    /// <summary>Binds <see cref="IceServersOptions"/> (section <c>IceServers</c>, validated at start) and adds <see cref="IceServers"/>.</summary>
    public static IServiceCollection AddIceServers(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<IceServersOptions>()
            .Bind(configuration.GetSection(IceServersOptions.SectionName))
            .Validate(o => o.TurnUrls is not { Length: > 0 } || !string.IsNullOrEmpty(o.TurnSecret), "IceServers:TurnSecret is required with TurnUrls")
            .Validate(o => o.CredentialTtl > TimeSpan.Zero, "IceServers:CredentialTtl must be positive")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IceServers>();
        return services;
    }
}
