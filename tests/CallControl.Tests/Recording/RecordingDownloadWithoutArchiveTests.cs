using System.Net;
using System.Net.Http.Headers;
using CallControl.Auth;
using CallControl.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Recording;

/// <summary>A service with no recording archive configured (no <c>Recording:Archive:Path</c>) still answers the
/// download endpoint for what it knows: an unknown recording is 404, not a 500 from building the store.</summary>
public sealed class RecordingDownloadWithoutArchiveTests : IAsyncLifetime
{
    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_unknown_recording_is_404_when_no_archive_is_configured()
    {
        var token = _host.Services.GetRequiredService<TokenService>().Mint("root", AuthPolicies.AdminRole, TimeSpan.FromMinutes(5));
        using var admin = new HttpClient { BaseAddress = _host.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await admin.GetAsync($"/api/recordings/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
