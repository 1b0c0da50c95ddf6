using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CallControl.BrowserTests.Support;

/// <summary>
/// A page whose console errors, uncaught page errors, failed requests and HTTP error responses are recorded, so a
/// test can assert at its end that none happened beyond the ones it provoked on purpose (<see cref="Expect"/>).
/// </summary>
public sealed partial class WatchedPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<(int Status, string Url)> _errorResponses = new();
    private readonly List<(int Status, string PathPrefix)> _expected = [];

    public WatchedPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                _problems.Enqueue($"console {message.Type}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _problems.Enqueue($"page error: {error}");
        page.RequestFailed += (_, request) => _problems.Enqueue($"request failed: {request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _errorResponses.Enqueue((response.Status, response.Url));
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Allows responses with <paramref name="status"/> to paths starting with <paramref name="pathPrefix"/>
    /// (and the console line Chromium logs for each).</summary>
    public void Expect(int status, string pathPrefix) => _expected.Add((status, pathPrefix));

    /// <summary>Every response at or above 400 seen so far.</summary>
    public IReadOnlyList<(int Status, string Url)> ErrorResponses => [.. _errorResponses];

    /// <summary>Fails with every console error, page error, failed request or unexpected error response seen.</summary>
    public void AssertClean()
    {
        var problems = new List<string>();
        foreach (var (status, url) in _errorResponses)
        {
            if (!_expected.Any(e => e.Status == status && new Uri(url).PathAndQuery.StartsWith(e.PathPrefix, StringComparison.Ordinal)))
            {
                problems.Add($"HTTP {status}: {url}");
            }
        }

        foreach (var problem in _problems)
        {
            // Chromium logs every error response as a console error; the expected ones are not problems.
            var logged = FailedResource().Match(problem);
            if (logged.Success && _expected.Any(e => e.Status == int.Parse(logged.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
            {
                continue;
            }

            problems.Add(problem);
        }

        Assert.True(problems.Count == 0, "The page had problems:\n" + string.Join('\n', problems));
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    [GeneratedRegex(@"^console error: Failed to load resource: the server responded with a status of (\d{3})")]
    private static partial Regex FailedResource();
}
