using System.Globalization;
using FreeSwitchSim.Core;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;

namespace FreeSwitchSim.Switch;

/// <summary>
/// mod_verto's side of browser clients: connect / login / disconnect CUSTOM events, directory checks (mod_xml_curl
/// when configured, else the built-in users 1000..1019 with password 1234), and the legs clients place and answer.
/// </summary>
internal sealed class Verto
{
    private const string Profile = "default-v4";
    private readonly CallEngine _engine;
    private readonly HttpClient _http;
    private readonly Dictionary<string, VertoClient> _clients = new(StringComparer.Ordinal);
    private int _nextPort = 46134;

    public Verto(CallEngine engine, HttpClient http)
    {
        _engine = engine;
        _http = http;
    }

    public VertoClient? FindClient(string user)
    {
        lock (_engine.Sync)
        {
            if (user.StartsWith("u:", StringComparison.Ordinal))
            {
                // verto_contact hands out "u:<jsock uuid>" addresses.
                return _clients.Values.FirstOrDefault(c => c.LoggedIn && c.JsockUuid == user[2..]);
            }
            return _clients.TryGetValue(user, out var found) && found.LoggedIn ? found : null;
        }
    }

    /// <summary>After a restart no browser is connected any more.</summary>
    public void Reset()
    {
        lock (_engine.Sync)
        {
            _clients.Clear();
        }
    }

    public async Task<bool> LoginAsync(string user, string password, IReadOnlyDictionary<string, string>? userVariables, CancellationToken cancellationToken)
    {
        VertoClient client;
        lock (_engine.Sync)
        {
            client = new VertoClient
            {
                User = user,
                JsockUuid = Guid.NewGuid().ToString(),
                Port = _nextPort += 2,
                // mod_verto's login handler skips a userVariable with an empty name or value.
                UserVariables = [.. (userVariables ?? new Dictionary<string, string>())
                    .Where(kv => !string.IsNullOrEmpty(kv.Key) && !string.IsNullOrEmpty(kv.Value))],
            };
            _clients[user] = client;
            Custom("verto::client_connect", CallSites.VertoConnect, client, null);
        }
        var result = await CheckAsync(user, password, cancellationToken).ConfigureAwait(false);
        lock (_engine.Sync)
        {
            client.LoggedIn = result is null;
            Custom("verto::login", CallSites.VertoLogin, client, e =>
            {
                e.Add("verto_login", $"{user}@{_engine.Options.VertoDomain}");
                if (result is null)
                {
                    e.Add("verto_sessid", client.SessId);
                }
                e.Add("verto_success", result is null ? "1" : "0");
                e.Add("verto_result_txt", result ?? "Logged in");
            });
        }
        return result is null;
    }

    public void Logout(string user)
    {
        lock (_engine.Sync)
        {
            if (!_clients.Remove(user, out var client))
            {
                return;
            }
            // The browser's legs go down with its socket (mod_verto hangs them up when the jsock detaches).
            foreach (var c in _engine.Channels.Values.Where(c => c.VertoUser == user).ToArray())
            {
                _engine.Hangup(c, "NORMAL_CLEARING", remote: true);
            }
            Custom("verto::client_disconnect", CallSites.VertoDisconnect, client, e =>
            {
                if (client.LoggedIn)
                {
                    e.Add("verto_login", $"{user}@{_engine.Options.VertoDomain}");
                }
            });
        }
    }

    public string PlaceCall(string user, string destination, FreeSwitchSim.Core.CallOptions? options)
    {
        lock (_engine.Sync)
        {
            var client = FindClient(user) ?? throw new InvalidOperationException($"verto user {user} is not logged in");
            client.AutoAnswerMs = options?.AutoAnswerMs;
            // mod_verto stamps the leg with a CHANNEL_DATA snapshot of the jsock (it takes a sequence number).
            var snapshot = _engine.Bus.NewEvent("CHANNEL_DATA", null, "mod_verto.c", "client_thread", 2154);
            client.LoginDateLocal = snapshot.Get("Event-Date-Local") ?? "";
            client.LoginDateGmt = snapshot.Get("Event-Date-GMT") ?? "";
            client.LoginUs = long.Parse(snapshot.Get("Event-Date-Timestamp") ?? "0", CultureInfo.InvariantCulture);
            client.LoginSequence = snapshot.Get("Event-Sequence") ?? "";
            var c = _engine.CreateVertoCaller(client, destination, options);
            return c.Uuid;
        }
    }

    private void Custom(string subclass, CallSite site, VertoClient client, Action<SimEvent>? more) =>
        _engine.Bus.Fire("CUSTOM", subclass, site, e =>
        {
            e.Add("verto_profile_name", Profile);
            e.Add("verto_client_address", client.Address);
            more?.Invoke(e);
        });

    /// <summary>Returns null when the login is good, else mod_verto's verto_result_txt.</summary>
    private async Task<string?> CheckAsync(string user, string password, CancellationToken ct)
    {
        var url = _engine.Options.XmlCurlDirectoryUrl;
        if (url is null)
        {
            var builtIn = int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1000 and <= 1019;
            return !builtIn ? "Login Incorrect" : password == "1234" ? null : "Authentication Failure";
        }
        string body;
        lock (_engine.Sync)
        {
            body = DirectoryRequestBody(user);
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url);
            if (_engine.Options.XmlCurlUser is { } u)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{u}:{_engine.Options.XmlCurlPassword}")));
            }
            request.Headers.UserAgent.ParseAdd("freeswitch-xml/1.0");
            request.Headers.Accept.ParseAdd("*/*");
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            var xml = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return Judge(xml, user, password);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Xml.XmlException)
        {
            Log.DirectoryFailed(_engine.Logger, ex.Message);
            return "Login Incorrect";
        }
    }

    /// <summary>The REQUEST_PARAMS event mod_verto's check_auth hands to xml_curl, form-encoded (xml_curl/*.request.txt).</summary>
    private string DirectoryRequestBody(string user)
    {
        var o = _engine.Options;
        var e = _engine.Bus.NewEvent("REQUEST_PARAMS", null, "mod_verto.c", "check_auth", 1017);
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("hostname", o.Hostname), new("section", "directory"), new("tag_name", "domain"),
            new("key_name", "name"), new("key_value", o.VertoDomain),
        };
        pairs.AddRange(e.Headers);
        pairs.Add(new("action", "jsonrpc-authenticate"));
        pairs.Add(new("key", "id"));
        pairs.Add(new("user", user));
        pairs.Add(new("domain", o.VertoDomain));
        return string.Join('&', pairs.Select(p => p.Key + "=" + UrlEncoding.Encode(p.Value).Replace("%2C", ",", StringComparison.Ordinal)));
    }

    private static string? Judge(string xml, string user, string password)
    {
        var doc = XDocument.Parse(xml);
        var u = doc.Descendants("user").FirstOrDefault(x => (string?)x.Attribute("id") == user);
        if (u is null)
        {
            return "Login Incorrect";
        }
        var pw = u.Descendants("param").FirstOrDefault(p => (string?)p.Attribute("name") == "password")?.Attribute("value")?.Value;
        return pw == password ? null : "Authentication Failure";
    }
}
