using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallControl.Auth;
using CallControl.Data;
using CallControl.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Tests.Auth;

/// <summary>mod_xml_curl's directory requests as captured (esl-captures/xml_curl), replayed against POST /fs/directory.</summary>
[Collection(DatabaseGroup.Name)]
public sealed class DirectoryApiTests(DatabaseFixture db) : IAsyncLifetime
{
    private TestWebHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestWebHost.StartAsync(db.ConnectionString, e => e.MapFreeSwitchDirectory());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void RenderUser_is_byte_for_byte_the_captured_user_document()
    {
        var captured = File.ReadAllBytes(XmlCurl("004.response.xml"));

        var rendered = DirectoryResponder.RenderUser("127.0.0.1", "room-a1b2c3", "one-time-9f8e7d", "a1b2c3");

        Assert.Equal(captured, Encoding.UTF8.GetBytes(rendered));
    }

    [Fact]
    public void NotFound_is_byte_for_byte_the_captured_not_found_document()
    {
        Assert.Equal(File.ReadAllBytes(XmlCurl("006.response.xml")), Encoding.UTF8.GetBytes(DirectoryResponder.NotFound));
    }

    [Fact]
    public async Task A_verto_login_lookup_for_an_issued_login_answers_the_user_with_its_password()
    {
        var login = await IssueAsync(TimeProvider.System);
        var form = CapturedForm("004.request.txt").Replace("user=room-a1b2c3", "user=" + login.Login, StringComparison.Ordinal);

        var (status, type, body) = await PostAsync(form, CapturedAuthorization("004.request.txt"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/xml", type);
        Assert.Equal(DirectoryResponder.RenderUser("127.0.0.1", login.Login, login.Password, login.RoomId), body);
        Assert.Contains($"<param name=\"password\" value=\"{login.Password}\"/>", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("001.request.txt")]   // start-up: purpose=gateways, no user
    [InlineData("002.request.txt")]
    [InlineData("003.request.txt")]   // purpose=network-list
    [InlineData("006.request.txt")]   // jsonrpc-authenticate for nobody-x
    public async Task Lookups_that_are_not_an_issued_login_answer_not_found(string request)
    {
        var (status, _, body) = await PostAsync(CapturedForm(request), CapturedAuthorization(request));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(File.ReadAllText(XmlCurl(request.Replace("request.txt", "response.xml", StringComparison.Ordinal))), body);
    }

    [Fact]
    public async Task An_expired_login_answers_not_found()
    {
        var login = await IssueAsync(new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2)));
        var form = CapturedForm("004.request.txt").Replace("user=room-a1b2c3", "user=" + login.Login, StringComparison.Ordinal);

        var (_, _, body) = await PostAsync(form, CapturedAuthorization("004.request.txt"));

        Assert.Equal(DirectoryResponder.NotFound, body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("fs:wrongsecret")]
    [InlineData("other:dirsecret")]
    [InlineData("fs:dirsecretX")]
    [InlineData("fs")]
    [InlineData("")]
    public async Task A_bad_or_missing_secret_is_401_and_reveals_nothing(string? credentials)
    {
        var login = await IssueAsync(TimeProvider.System);
        var form = CapturedForm("004.request.txt").Replace("user=room-a1b2c3", "user=" + login.Login, StringComparison.Ordinal);
        var header = credentials is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

        var (status, _, body) = await PostAsync(form, header);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.DoesNotContain(login.Password, body, StringComparison.Ordinal);
    }

    [Fact]
    public void IsAuthorized_accepts_exactly_the_configured_pair()
    {
        var options = new FreeSwitchCallbackOptions { CallbackUser = "fs", CallbackSecret = "dirsecret" };

        Assert.True(FreeSwitchCallbackAuth.IsAuthorized("Basic ZnM6ZGlyc2VjcmV0", options));
        Assert.False(FreeSwitchCallbackAuth.IsAuthorized("Basic not-base64!", options));
        Assert.False(FreeSwitchCallbackAuth.IsAuthorized("Bearer ZnM6ZGlyc2VjcmV0", options));
        Assert.False(FreeSwitchCallbackAuth.IsAuthorized("Basic ZnM6ZGlyc2VjcmV0", new FreeSwitchCallbackOptions()));
    }

    private async Task<VertoLogin> IssueAsync(TimeProvider clock)
    {
        var caller = await db.NewUserAsync();
        var room = await db.Rooms.CreateAsync(new RoomRecord
        {
            Id = RoomStore.NewId(), CallerUserId = caller, CalleeNumber = "+15551230001", Media = "audio",
        });
        return await db.Logins(clock).IssueAsync(room.Id, caller, TimeSpan.FromHours(1));
    }

    private async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostAsync(string form, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, DirectoryApi.Path)
        {
            // Exactly FreeSWITCH's request body and content type (mod_xml_curl, freeswitch-xml/1.0).
            Content = new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _host.Http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static string CapturedForm(string name)
    {
        var text = File.ReadAllText(XmlCurl(name));
        return text[(text.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
    }

    private static string CapturedAuthorization(string name) =>
        File.ReadAllLines(XmlCurl(name)).Single(l => l.StartsWith("Authorization: ", StringComparison.Ordinal))["Authorization: ".Length..];

    internal static string XmlCurl(string name) => Path.Combine(CaptureFiles.Root, "xml_curl", name);
}
