using System.ComponentModel.DataAnnotations;

namespace CallControl.Switch;

/// <summary>The FreeSWITCH nodes this service steers, bound from the <c>FreeSwitch</c> configuration section and
/// validated at start, so a missing ESL password fails at boot, not at the first call.</summary>
public sealed class FreeSwitchOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FreeSwitch";

    /// <summary>One entry per node; names must be unique.</summary>
    public IList<FreeSwitchNodeOptions> Nodes { get; } = [];

    /// <summary>
    /// How many single-reader queues events are spread over (by channel), so different calls run in parallel. The
    /// handlers mostly wait (PostgreSQL, ESL replies) rather than compute, so this is sized for waiting, not for
    /// cores: with 4 queues a CHANNEL_PARK that waited 50 ms held up every call hashed behind it (bench/load).
    /// </summary>
    [Range(1, 1024)]
    public int DispatchPartitions { get; set; } = 64;

    /// <summary>Capacity of each partition's queue; a full queue holds the node's reader back (FreeSWITCH buffers).</summary>
    [Range(1, 1_000_000)]
    public int PartitionCapacity { get; set; } = 4096;

    /// <summary>Every problem with these settings, or none.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Nodes.Count; i++)
        {
            var node = Nodes[i];
            var at = $"FreeSwitch:Nodes:{i}";
            if (string.IsNullOrWhiteSpace(node.Name) || !IsSimpleName(node.Name))
            {
                problems.Add($"{at}:Name is required (letters, digits, '-', '_', '.').");
            }
            else if (!names.Add(node.Name))
            {
                problems.Add($"{at}:Name '{node.Name}' is used twice.");
            }

            if (string.IsNullOrWhiteSpace(node.Host))
            {
                problems.Add($"{at}:Host is required.");
            }

            if (node.Port is <= 0 or > 65535)
            {
                problems.Add($"{at}:Port {node.Port} is not a TCP port.");
            }

            // A CR or LF would end the auth command early; the ESL client rejects it too, but say so at boot.
            if (string.IsNullOrEmpty(node.Password) || node.Password.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                problems.Add($"{at}:Password is required (and has no line breaks).");
            }

            if (!Calls.Recording.RecordingPaths.IsValidFolder(node.RecordingsPath))
            {
                problems.Add($"{at}:RecordingsPath '{node.RecordingsPath}' must be an absolute path of letters, digits, '/', '-', '_' and '.'.");
            }

            if (node.VertoUrl is { } verto && (!Uri.TryCreate(verto, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss")))
            {
                problems.Add($"{at}:VertoUrl '{verto}' is not a ws:// or wss:// URL.");
            }
        }

        return problems;
    }

    private static bool IsSimpleName(string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One FreeSWITCH node: where its Event Socket listens, its password, and the verto URL clients use.</summary>
public sealed class FreeSwitchNodeOptions
{
    /// <summary>A short stable name (logs, the lease, <c>calls.freeswitch_node</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>mod_event_socket's listen-ip.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>mod_event_socket's listen-port.</summary>
    public int Port { get; set; } = 8021;

    /// <summary>mod_event_socket's password (never FreeSWITCH's default in production).</summary>
    public string Password { get; set; } = "";

    /// <summary>The verto WebSocket URL handed to clients for rooms placed on this node.</summary>
    public string? VertoUrl { get; set; }

    /// <summary>The recordings folder as this node's FreeSWITCH sees it (an absolute path without spaces: it goes into
    /// <c>uuid_record</c>). The service records calls to <c>&lt;folder&gt;/&lt;room&gt;/&lt;call&gt;.wav</c>.</summary>
    public string RecordingsPath { get; set; } = DefaultRecordingsPath;

    /// <summary>FreeSWITCH's own <c>$${recordings_dir}</c> for a source install (the captures' node).</summary>
    public const string DefaultRecordingsPath = "/usr/local/freeswitch/recordings";
}
