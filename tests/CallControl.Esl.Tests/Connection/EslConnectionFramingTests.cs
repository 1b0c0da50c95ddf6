using System.Text;
using CallControl.Esl.Tests.Support;

namespace CallControl.Esl.Tests.Connection;

public sealed class EslConnectionFramingTests
{
    [Fact]
    public async Task Reply_and_event_written_one_byte_at_a_time_are_read_whole()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var call = pair.Connection.ApiAsync("status");
        await pair.Session.ReadCommandAsync();
        const string body = "UP 0 years, café\n";
        var bytes = Encoding.UTF8.GetBytes(
            FakeEslSession.PlainEvent(FakeResponder.Event("HEARTBEAT", 9)) +
            $"Content-Type: api/response\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\n\n{body}");

        // Every prefix reaches the client as its own read: the loop must wait, not misparse.
        foreach (var b in bytes)
        {
            await pair.Session.SendBytesAsync([b]);
        }

        Assert.Equal(body, (await call.WaitAsync(FakeEslSession.Timeout)).Text);
        using var cts = new CancellationTokenSource(FakeEslSession.Timeout);
        using var ev = await pair.Connection.Events.ReadAsync(cts.Token);
        Assert.Equal(9, ev.EventSequence);
    }

    [Fact]
    public async Task Many_frames_in_one_write_are_all_dispatched()
    {
        await using var pair = await ConnectedPair.StartAsync();
        var first = pair.Connection.ApiAsync("one");
        var second = pair.Connection.ApiAsync("two");
        await pair.Session.ReadCommandAsync();
        await pair.Session.ReadCommandAsync();

        await pair.Session.SendRawAsync(
            "Content-Type: api/response\nContent-Length: 2\n\n1\n" +
            FakeEslSession.PlainEvent(FakeResponder.Event("CHANNEL_CREATE", 1, "a")) +
            "Content-Type: api/response\nContent-Length: 2\n\n2\n");

        Assert.Equal("1\n", (await first.WaitAsync(FakeEslSession.Timeout)).Text);
        Assert.Equal("2\n", (await second.WaitAsync(FakeEslSession.Timeout)).Text);
        Assert.Equal(1, pair.Connection.Events.Count);
    }
}
