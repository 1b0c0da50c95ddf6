using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace FreeSwitchSim.Switch;

/// <summary>
/// mod_json_cdr: at each leg's end, POST <c>?uuid=&lt;leg&gt;</c> with the leg's JSON CDR (values percent-encoded,
/// encode-values=true), Content-Type application/x-www-form-urlencoded, basic auth, User-Agent freeswitch-json/1.0.
/// A failed POST is retried, then spooled to a folder; the spool is re-sent by <see cref="FlushSpoolAsync"/>.
/// </summary>
internal sealed class JsonCdr
{
    private const int Attempts = 2;
    private readonly SimSwitchOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly object _pendingLock = new();
    private readonly HashSet<Task> _pending = new();

    public JsonCdr(SimSwitchOptions options, HttpClient http, ILogger logger)
    {
        _options = options;
        _http = http;
        _logger = logger;
    }

    public string SpoolDir => _options.JsonCdrSpoolDir ?? Path.Combine(Path.GetTempPath(), "freeswitchsim-cdr-spool");

    /// <summary>
    /// Called under the switch lock with the reporting leg: the JSON is built now and posted in the background; the
    /// task (null when no URL is set) completes once it is delivered or spooled.
    /// </summary>
    public Task? LegReported(Channel c, string coreUuid)
    {
        if (_options.JsonCdrUrl is null)
        {
            return null;
        }
        var json = CdrJson.Build(c, coreUuid, _options.Hostname);
        var posted = Task.Run(() => PostOrSpoolAsync(c.Uuid, json));
        Track(posted);
        return posted;
    }

    /// <summary>Writes the leg's CDR straight to the spool (the module is going down with the switch): it is posted
    /// when the spool is flushed after the restart.</summary>
    public void Spool(Channel c, string coreUuid)
    {
        if (_options.JsonCdrUrl is null)
        {
            return;
        }
        Directory.CreateDirectory(SpoolDir);
        var path = Path.Combine(SpoolDir, c.Uuid + ".cdr.json");
        File.WriteAllBytes(path, CdrJson.Build(c, coreUuid, _options.Hostname));
        Log.CdrSpooled(_logger, c.Uuid, path);
    }

    /// <summary>Completes when every POST started so far has been delivered or spooled.</summary>
    public async Task WhenIdleAsync()
    {
        while (true)
        {
            Task[] tasks;
            lock (_pendingLock)
            {
                tasks = _pending.ToArray();
            }
            if (tasks.Length == 0)
            {
                return;
            }
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
    }

    /// <summary>Re-sends spooled CDRs; each one delivered is deleted. Returns how many were delivered.</summary>
    public async Task<int> FlushSpoolAsync(CancellationToken cancellationToken)
    {
        if (_options.JsonCdrUrl is null || !Directory.Exists(SpoolDir))
        {
            return 0;
        }
        var sent = 0;
        foreach (var file in Directory.GetFiles(SpoolDir, "*.cdr.json").Order(StringComparer.Ordinal))
        {
            var uuid = Path.GetFileName(file)[..^".cdr.json".Length];
            var json = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            if (await TryPostAsync(uuid, json, cancellationToken).ConfigureAwait(false))
            {
                File.Delete(file);
                sent++;
            }
        }
        return sent;
    }

    private void Track(Task t)
    {
        lock (_pendingLock)
        {
            _pending.Add(t);
        }
        t.ContinueWith(done =>
        {
            lock (_pendingLock)
            {
                _pending.Remove(done);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task PostOrSpoolAsync(string uuid, byte[] json)
    {
        for (var i = 0; i < Attempts; i++)
        {
            if (await TryPostAsync(uuid, json, CancellationToken.None).ConfigureAwait(false))
            {
                return;
            }
        }
        Directory.CreateDirectory(SpoolDir);
        var path = Path.Combine(SpoolDir, uuid + ".cdr.json");
        await File.WriteAllBytesAsync(path, json).ConfigureAwait(false);
        Log.CdrSpooled(_logger, uuid, path);
    }

    private async Task<bool> TryPostAsync(string uuid, byte[] json, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new UriBuilder(_options.JsonCdrUrl!) { Query = "uuid=" + uuid }.Uri);
            if (_options.JsonCdrUser is { } user)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{_options.JsonCdrPassword}")));
            }
            request.Headers.UserAgent.ParseAdd("freeswitch-json/1.0");
            request.Headers.Accept.ParseAdd("*/*");
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await _http.SendAsync(request, cts.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }
            Log.CdrPostFailed(_logger, uuid, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            Log.CdrPostFailed(_logger, uuid, ex.Message);
            return false;
        }
    }
}
