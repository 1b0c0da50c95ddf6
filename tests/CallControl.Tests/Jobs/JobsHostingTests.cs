using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using CallControl.Auth;
using CallControl.Hosting;
using CallControl.Tests.Support;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Jobs;

/// <summary>Hangfire inside the service: jobs enqueued through the service's client run on its own server (real
/// PostgreSQL storage, the host's own schema), and the dashboard is for admins only.</summary>
public sealed class JobsHostingTests : IAsyncLifetime
{
    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_job_enqueued_in_the_service_runs_on_its_server_with_services_from_its_container()
    {
        var marker = Guid.NewGuid();
        var jobs = _host.Services.GetRequiredService<IBackgroundJobClient>();

        var jobId = jobs.Enqueue<ProbeJob>(j => j.RunAsync(marker));

        var storageSeenByJob = await ProbeJob.Ran.GetOrAdd(marker, _ => new TaskCompletionSource<JobStorage>(TaskCreationOptions.RunContinuationsAsynchronously))
            .Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Same(_host.Services.GetRequiredService<JobStorage>(), storageSeenByJob);
        await ServiceHostWait.UntilAsync(
            () => _host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId)?.History.FirstOrDefault()?.StateName == "Succeeded",
            "the job to be recorded as succeeded");
    }

    [Fact]
    public async Task The_dashboard_answers_admins_and_refuses_everyone_else()
    {
        var tokens = _host.Services.GetRequiredService<TokenService>();
        using var anonymous = Client(null);
        using var client = Client(tokens.Mint("someone", null, TimeSpan.FromMinutes(5)));
        using var admin = Client(tokens.Mint("root", AuthPolicies.AdminRole, TimeSpan.FromMinutes(5)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(JobsDashboard.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(JobsDashboard.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(JobsDashboard.Path + "/jobs/enqueued")).StatusCode);
        using var page = await admin.GetAsync(JobsDashboard.Path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Hangfire", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_opens_the_dashboard_with_an_access_token_once_then_rides_an_http_only_cookie()
    {
        var tokens = _host.Services.GetRequiredService<TokenService>();
        var adminToken = tokens.Mint("root", AuthPolicies.AdminRole, TimeSpan.FromMinutes(5));
        var clientToken = tokens.Mint("someone", null, TimeSpan.FromMinutes(5));
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
        { BaseAddress = _host.BaseAddress };
        using var stranger = Client(null);

        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"{JobsDashboard.Path}?access_token={clientToken}")).StatusCode);
        using var first = await browser.GetAsync($"{JobsDashboard.Path}?access_token={adminToken}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var setCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(JobsDashboard.CookieName + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/hangfire", setCookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(JobsDashboard.Path + "/jobs/succeeded")).StatusCode);
        // The cookie is for the dashboard only: the rest of the API still wants the header.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/admin/calls")).StatusCode);
    }

    private HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = _host.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}

/// <summary>A job the tests enqueue: it reports the job storage of the container it was activated from.</summary>
public sealed class ProbeJob(JobStorage storage)
{
    public static ConcurrentDictionary<Guid, TaskCompletionSource<JobStorage>> Ran { get; } = new();

    public Task RunAsync(Guid marker)
    {
        Ran.GetOrAdd(marker, _ => new TaskCompletionSource<JobStorage>(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult(storage);
        return Task.CompletedTask;
    }
}
