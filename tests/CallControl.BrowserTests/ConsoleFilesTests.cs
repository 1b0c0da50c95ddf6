using System.Net;
using CallControl.BrowserTests.Support;

namespace CallControl.BrowserTests;

/// <summary>How the service serves the console's files: plain HTTP, no browser.</summary>
[Collection(ConsoleGroup.Name)]
public sealed class ConsoleFilesTests(ConsoleFixture console)
{
    private HttpClient Http() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console.Host.BaseAddress };

    [Fact]
    public async Task The_page_is_served_with_a_policy_that_allows_only_its_own_origin()
    {
        using var http = Http();
        using var response = await http.GetAsync("/admin/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("media-src 'self' blob:", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(' ', response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("<script type=\"module\" src=\"js/app.js\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var script = await http.GetAsync("/admin/js/pages/calls.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Admin_without_the_slash_redirects_to_the_folder()
    {
        using var http = Http();
        using var response = await http.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/admin/missing.js")]
    [InlineData("/admin/%2e%2e/appsettings.json")]
    [InlineData("/admin/..%2fappsettings.json")]
    [InlineData("/admin/js/..%2f..%2fcallcontrol.dll")]
    [InlineData("/admin/js")]
    public async Task A_file_outside_the_console_or_missing_is_not_found(string path)
    {
        using var http = Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(console.Host.BaseAddress, new Uri(path, UriKind.Relative)));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
