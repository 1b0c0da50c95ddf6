using System.Text.Json;
using System.Xml.Linq;
using CallControl.Auth;
using CallControl.Cdr;
using FreeSwitchConf.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace FreeSwitchConf.Tests;

/// <summary>mod_xml_curl and mod_json_cdr call the service where it listens, with the credentials it checks.</summary>
public sealed class CallbackTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["CALLCONTROL_URL"] = "https://cc.example.net:8443",
        ["CALLCONTROL_CALLBACK_USER"] = "fsnode",
        ["CALLCONTROL_CALLBACK_SECRET"] = "5f1e9a",
    };

    private static XElement XmlCurl(XDocument d) => d.Configuration("xml_curl.conf").Element("bindings")!.Elements("binding").Single();

    private static XElement JsonCdr(XDocument d) => d.Configuration("json_cdr.conf").Element("settings")!;

    /// <summary>The POST routes the service really maps (read from its endpoint data sources, not from text).</summary>
    private static string[] ServiceRoutes()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        app.MapCdr();
        app.MapFreeSwitchDirectory();
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!).ToArray();
    }

    [Fact]
    public void The_directory_binding_posts_to_the_services_directory_route_with_the_callback_credentials()
    {
        var binding = XmlCurl(ConfTree.Document(Environment));
        var url = new Uri(binding.Param("gateway-url"));

        Assert.Equal("directory", (string?)binding.Elements("param").Single(p => (string?)p.Attribute("name") == "gateway-url").Attribute("bindings"));
        Assert.Equal("https://cc.example.net:8443", url.GetLeftPart(UriPartial.Authority));
        Assert.Contains(url.AbsolutePath, ServiceRoutes());
        Assert.Equal(DirectoryApi.Path, url.AbsolutePath);
        Assert.Equal("fsnode:5f1e9a", binding.Param("gateway-credentials"));
        Assert.Equal("basic", binding.Param("auth-scheme"));
    }

    [Fact]
    public void Json_cdr_posts_to_the_services_cdr_route_with_the_same_credentials()
    {
        var settings = JsonCdr(ConfTree.Document(Environment));
        var url = new Uri(settings.Param("url"));

        Assert.Equal("https://cc.example.net:8443", url.GetLeftPart(UriPartial.Authority));
        Assert.Contains(url.AbsolutePath, ServiceRoutes());
        Assert.NotEqual(DirectoryApi.Path, url.AbsolutePath);
        Assert.Equal("fsnode:5f1e9a", settings.Param("cred"));
        Assert.Equal("basic", settings.Param("auth-scheme"));
    }

    [Fact]
    public void The_credentials_pass_the_services_own_check()
    {
        var settings = JsonCdr(ConfTree.Document(Environment));
        var header = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(settings.Param("cred")));
        var options = new FreeSwitchCallbackOptions { CallbackUser = "fsnode", CallbackSecret = "5f1e9a" };

        Assert.True(FreeSwitchCallbackAuth.IsAuthorized(header, options));
        Assert.False(FreeSwitchCallbackAuth.IsAuthorized(header, new FreeSwitchCallbackOptions { CallbackUser = "fsnode", CallbackSecret = "other" }));
    }

    [Fact]
    public void The_development_defaults_match_the_services_development_settings()
    {
        var document = ConfTree.Document();
        using var dev = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConfTree.RepoRoot, "src", "CallControl", "appsettings.Development.json")));
        var fs = dev.RootElement.GetProperty(FreeSwitchCallbackOptions.SectionName);
        var expected = fs.GetProperty(nameof(FreeSwitchCallbackOptions.CallbackUser)).GetString() + ":" +
                       fs.GetProperty(nameof(FreeSwitchCallbackOptions.CallbackSecret)).GetString();

        Assert.Equal(expected, JsonCdr(document).Param("cred"));
        Assert.Equal(expected, XmlCurl(document).Param("gateway-credentials"));
        Assert.Equal("http://127.0.0.1:8080/fs/cdr", JsonCdr(document).Param("url"));
    }

    [Fact]
    public void Json_cdr_sends_the_body_the_services_parser_reads_and_spools_what_it_refuses()
    {
        var settings = JsonCdr(ConfTree.Document());
        var leg = Guid.NewGuid();
        // With encode=false and encode-values=true mod_json_cdr posts the bare document, string values percent-encoded.
        var body = System.Text.Encoding.UTF8.GetBytes(
            $"{{\"variables\":{{\"uuid\":\"{leg}\",\"x_room_id\":\"0123456789abcdef\",\"sip_to_host\":\"127.0.0.1%3A5091\"}}}}");

        var mapped = JsonCdrMapper.Map(body, leg.ToString());

        Assert.Equal("false", settings.Param("encode"));
        Assert.Equal("true", settings.Param("encode-values"));
        Assert.Equal("true", settings.Param("log-b-leg"));
        Assert.Null(mapped.Error);
        Assert.Equal("0123456789abcdef", mapped.RoomId);
        Assert.Equal("true", settings.Param("log-errors-to-disk"));
        Assert.Equal("/usr/local/freeswitch/log/json_cdr", settings.Param("err-log-dir"));
        Assert.True(int.Parse(settings.Param("retries"), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(int.Parse(settings.Param("delay"), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public void The_callback_user_cannot_break_the_user_colon_secret_pair()
    {
        var vars = XDocument.Load(ConfTree.PathOf("vars.xml")).Root!.Elements("X-PRE-PROCESS")
            .Where(e => (string?)e.Attribute("cmd") == "set")
            .Select(e => (string)e.Attribute("data")!).Single(d => d.StartsWith("callcontrol_callback_user=", StringComparison.Ordinal));

        Assert.DoesNotContain(':', vars["callcontrol_callback_user=".Length..]);
    }
}
