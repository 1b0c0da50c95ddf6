using System.Net;
using System.Net.Http.Headers;
using CallControl.Auth;
using CallControl.Tests.Scenarios;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Tests.Recording;

/// <summary><c>GET /api/recordings/{id}</c>: the archived Ogg/Opus, whole or by byte range, to the parties and admins.</summary>
[Collection(RoomWorldGroup.Name)]
public sealed class RecordingDownloadTests(RoomWorld world)
{
    [Fact]
    public async Task Parties_and_admins_get_the_archive_whole_and_by_range_strangers_do_not()
    {
        var call = await world.AnsweredRecordedCallAsync();
        var live = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["recording"]));
        var alice = world.ClientFor(call.Caller);
        using (var early = await alice.GetAsync($"/api/recordings/{live.Id}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // some audio
        world.Sim.Switch.Hangup(call.CallerLeg);
        var archived = Assert.Single(await world.UntilRecordingsAsync(call.CallId, 1, ["archived", "failed"], RecordingSteps.ArchiveWait));
        Assert.Equal("archived", archived.State);
        var bytes = await File.ReadAllBytesAsync(new Uri(archived.ArchiveLocation!).LocalPath);
        var url = $"/api/recordings/{archived.Id}";

        using (var whole = await alice.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal("audio/ogg", whole.Content.Headers.ContentType!.MediaType);
            Assert.Equal("bytes", Assert.Single(whole.Headers.AcceptRanges));
            Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
        }

        using (var first = await Ranged(alice, url, "bytes=0-99"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
            Assert.Equal($"bytes 0-99/{bytes.Length}", first.Content.Headers.ContentRange!.ToString());
            Assert.Equal(bytes[..100], await first.Content.ReadAsByteArrayAsync());
        }

        using (var middle = await Ranged(alice, url, $"bytes=100-"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
            Assert.Equal(bytes[100..], await middle.Content.ReadAsByteArrayAsync());
        }

        using (var tail = await Ranged(world.ClientFor(call.Callee), url, "bytes=-50"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
            Assert.Equal($"bytes {bytes.Length - 50}-{bytes.Length - 1}/{bytes.Length}", tail.Content.Headers.ContentRange!.ToString());
            Assert.Equal(bytes[^50..], await tail.Content.ReadAsByteArrayAsync());
        }

        using (var past = await Ranged(alice, url, $"bytes={bytes.Length + 10}-"))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, past.StatusCode);
            Assert.Equal($"bytes */{bytes.Length}", past.Content.Headers.ContentRange!.ToString());
        }

        var admin = world.ClientWithToken(world.Services.GetRequiredService<TokenService>().Mint("ops", AuthPolicies.AdminRole, TimeSpan.FromMinutes(5)));
        using (var byAdmin = await admin.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        }

        using (var stranger = await world.ClientFor(await world.AddUserAsync("eve")).GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
            Assert.NotEqual("audio/ogg", stranger.Content.Headers.ContentType?.MediaType);
        }

        using (var anonymous = await world.ClientWithToken(null).GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var unknown = await alice.GetAsync($"/api/recordings/{Guid.NewGuid()}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
    }

    private static Task<HttpResponseMessage> Ranged(HttpClient client, string url, string range)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", range);
        return client.SendAsync(request);
    }
}
