using CallControl.Esl.Commands;
using CallControl.Esl.Protocol;

namespace CallControl.Esl.Connection;

/// <summary>What a full event queue does when the consumer falls behind.</summary>
public enum EslOverflowPolicy
{
    /// <summary>Stop reading the socket until the consumer catches up: nothing is lost here, FreeSWITCH's own
    /// 100,000-event listener queue absorbs the burst (and kills the listener if it overflows). Replies wait too,
    /// so a long stall can time a command out, which replaces the connection.</summary>
    Wait,

    /// <summary>Drop the newest event and count it (metric <c>esl.events.shed</c> and a log line); replies keep
    /// flowing.</summary>
    Shed,
}

/// <summary>
/// Settings of one inbound Event Socket connection (we connect to FreeSWITCH, default 127.0.0.1:8021) and of the
/// <see cref="EslClient"/> that keeps it up. Validate with <see cref="Validate"/> at start so a missing password
/// fails at boot, not at the first call.
/// </summary>
public sealed class EslConnectionOptions
{
    /// <summary>FreeSWITCH's host (mod_event_socket listen-ip; default 127.0.0.1).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>FreeSWITCH's Event Socket port (default 8021).</summary>
    public int Port { get; set; } = 8021;

    /// <summary>The <c>auth</c> password (mod_event_socket's default, ClueCon, must be changed in production).</summary>
    public string? Password { get; set; }

    /// <summary>When set, authenticate with <c>userauth User@Domain:Password</c> instead of <c>auth</c>.</summary>
    public string? User { get; set; }

    /// <summary>The directory domain for <c>userauth</c>.</summary>
    public string? Domain { get; set; }

    /// <summary>A name for logs and metrics (default host:port).</summary>
    public string? Name { get; set; }

    /// <summary>Time allowed for TCP connect plus greeting plus authentication.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Default time a command may wait for its reply. Replies are positional, so a timed-out command
    /// poisons the reply queue: the connection is declared dead and replaced.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time a <c>bgapi</c> may wait for its BACKGROUND_JOB (an originate can ring for minutes). On expiry
    /// only that job fails; the connection is fine.</summary>
    public TimeSpan BackgroundJobTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Frame size limits; a peer that exceeds them gets a protocol error and a closed connection.</summary>
    public EslFrameLimits FrameLimits { get; set; } = EslFrameLimits.Default;

    /// <summary>Capacity of the event queue between the read loop and the consumer.</summary>
    public int EventQueueCapacity { get; set; } = 10_000;

    /// <summary>What a full event queue does.</summary>
    public EslOverflowPolicy OverflowPolicy { get; set; } = EslOverflowPolicy.Wait;

    /// <summary>Capacity of the log line queue (<c>log/data</c>); the oldest lines are dropped, and counted, when full.</summary>
    public int LogQueueCapacity { get; set; } = 1_000;

    /// <summary>No frame at all for this long means the connection is dead (FreeSWITCH sends HEARTBEAT every 20 s
    /// by default; <see cref="EslClient"/> subscribes to it). Null disables the check.</summary>
    public TimeSpan? LivenessTimeout { get; set; } = TimeSpan.FromSeconds(65);

    /// <summary>Event format for subscriptions.</summary>
    public EslEventEncoding EventFormat { get; set; } = EslEventEncoding.Plain;

    /// <summary>First reconnect delay; doubled per failed attempt.</summary>
    public TimeSpan ReconnectBase { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan ReconnectCap { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Up to this much random delay is added to each reconnect delay, so many clients do not reconnect in step.</summary>
    public TimeSpan ReconnectJitter { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Delay after a wrong password or an ACL rejection: retrying sooner cannot help and floods FreeSWITCH's log.</summary>
    public TimeSpan AuthFailureBackoff { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A session that lasted this long resets the backoff to <see cref="ReconnectBase"/>.</summary>
    public TimeSpan HealthySession { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>"Still down" is logged at most once per this interval while reconnecting fails.</summary>
    public TimeSpan StillDownLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Route <c>api</c> over a second authenticated socket, so a long <c>api</c> never holds up event
    /// delivery (FreeSWITCH runs <c>api</c> in the listener's thread).</summary>
    public bool DedicatedCommandConnection { get; set; }

    /// <summary>The name used in logs and metrics.</summary>
    public string DisplayName => Name ?? $"{Host}:{Port}";

    /// <summary>Throws <see cref="ArgumentException"/> describing the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("ESL Host is required.", nameof(Host));
        }

        if (Port is <= 0 or > 65535)
        {
            throw new ArgumentException($"ESL Port {Port} is not a TCP port.", nameof(Port));
        }

        if (string.IsNullOrEmpty(Password))
        {
            throw new ArgumentException("ESL Password is required.", nameof(Password));
        }

        if (User is not null && string.IsNullOrEmpty(Domain))
        {
            throw new ArgumentException("ESL Domain is required with User (userauth user@domain:password).", nameof(Domain));
        }

        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(CommandTimeout, nameof(CommandTimeout));
        Positive(BackgroundJobTimeout, nameof(BackgroundJobTimeout));
        Positive(ReconnectBase, nameof(ReconnectBase));
        Positive(AuthFailureBackoff, nameof(AuthFailureBackoff));
        if (ReconnectCap < ReconnectBase)
        {
            throw new ArgumentException("ESL ReconnectCap must be at least ReconnectBase.", nameof(ReconnectCap));
        }

        if (EventQueueCapacity <= 0 || LogQueueCapacity <= 0)
        {
            throw new ArgumentException("ESL queue capacities must be positive.", nameof(EventQueueCapacity));
        }

        if (LivenessTimeout is { } l)
        {
            Positive(l, nameof(LivenessTimeout));
        }

        ArgumentNullException.ThrowIfNull(FrameLimits);
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ESL {name} must be positive.", name);
        }
    }
}
