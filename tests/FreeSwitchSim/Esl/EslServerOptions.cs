namespace FreeSwitchSim.Esl;

/// <summary>Settings of one simulated mod_event_socket (event_socket.conf.xml plus the module's constants).</summary>
public sealed class EslServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one (see <see cref="EslServer.Port"/>).</summary>
    public int Port { get; set; }

    /// <summary>The <c>password</c> param; FreeSWITCH's default is ClueCon.</summary>
    public string Password { get; set; } = "ClueCon";

    /// <summary>MAX_QUEUE_LEN: events queued per listener before enqueues fail (100,000 in FreeSWITCH).</summary>
    public int EventQueueCapacity { get; set; } = 100_000;

    /// <summary>MAX_MISSED: consecutive failed enqueues tolerated before the listener is killed (500).</summary>
    public int MaxMissedEvents { get; set; } = 500;

    /// <summary>read_packet's timeout for the first command of a connection (25 s).</summary>
    public TimeSpan FirstCommandTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary><c>userauth user@domain:password</c> accounts (the directory's esl-password), keyed "user@domain".</summary>
    public IDictionary<string, string> UserAuth { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
