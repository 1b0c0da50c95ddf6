using System.Text;
using CallControl.Cdr;
using FreeSwitchConf.Tests.Support;

namespace FreeSwitchConf.Tests;

/// <summary>
/// What a real FreeSWITCH 1.10.12 sent with json_cdr and xml_curl settings like these (esl-captures/json_cdr,
/// xml_curl): the paths, the authentication and the body shape the configuration asks for.
/// </summary>
public sealed class CapturedCallbacksTests
{
    private sealed record CapturedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body);

    private static CapturedRequest Read(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var split = bytes.AsSpan().IndexOf("\n\n"u8);
        var head = Encoding.ASCII.GetString(bytes, 0, split).Split('\n');
        var request = head[0].Split(' ');
        var headers = head[1..].Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1].TrimEnd('\r'), StringComparer.OrdinalIgnoreCase);
        // A receiver reads Content-Length bytes; a capture file may hold more after them.
        var length = int.Parse(headers["Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
        return new CapturedRequest(request[0], request[1], headers, bytes.AsSpan(split + 2, length).ToArray());
    }

    public static TheoryData<string> JsonCdrPosts()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(CaptureFiles.Root, "json_cdr"), "*.post.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(JsonCdrPosts))]
    public void A_captured_cdr_post_has_the_path_auth_and_bare_json_body_this_configuration_asks_for(string name)
    {
        var settings = ConfTree.Document().Configuration("json_cdr.conf").Element("settings")!;
        var post = Read(Path.Combine(CaptureFiles.Root, "json_cdr", name));
        var target = new Uri(new Uri("http://127.0.0.1"), post.Target);

        Assert.Equal("POST", post.Method);
        Assert.Equal(new Uri(settings.Param("url")).AbsolutePath, target.AbsolutePath);
        Assert.StartsWith("Basic ", post.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("freeswitch-json/1.0", post.Headers["User-Agent"]);
        // encode=false: the document itself, not a cdr= form field; the service maps it for the uuid in the query.
        Assert.Equal("false", settings.Param("encode"));
        Assert.Equal((byte)'{', post.Body[0]);
        // disable-100-continue replaces mod_json_cdr's header list, so curl sends its default form content type.
        Assert.Equal("true", settings.Param("disable-100-continue"));
        Assert.Equal("application/x-www-form-urlencoded", post.Headers["Content-Type"]);
        var mapped = JsonCdrMapper.Map(post.Body, target.Query["?uuid=".Length..]);
        Assert.Null(mapped.Error);
    }

    [Fact]
    public void Captured_directory_lookups_post_a_form_to_the_path_the_binding_names()
    {
        var binding = ConfTree.Document().Configuration("xml_curl.conf").Element("bindings")!.Elements("binding").Single();
        var requests = Directory.GetFiles(Path.Combine(CaptureFiles.Root, "xml_curl"), "*.request.txt").Select(Read).ToArray();

        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal(new Uri(binding.Param("gateway-url")).AbsolutePath, r.Target));
        Assert.All(requests, r => Assert.Equal("application/x-www-form-urlencoded", r.Headers["Content-Type"]));
        Assert.All(requests, r => Assert.StartsWith("Basic ", r.Headers["Authorization"], StringComparison.Ordinal));
        Assert.Contains(requests, r => Encoding.UTF8.GetString(r.Body).Contains("action=jsonrpc-authenticate", StringComparison.Ordinal));
    }
}
