using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallControl.Esl.Tests.Support;

/// <summary>
/// Plays FreeSWITCH's side of a captured outbound-socket session against our listener: connects, and for each
/// command the client sends, writes the captured frames up to and including the reply to it, then the events
/// that followed that reply. The client's own <c>event-uuid</c>s replace the captured ones in what follows, so
/// CHANNEL_EXECUTE_COMPLETE carries the Application-UUID our client chose (same length: Content-Length holds).
/// </summary>
internal static class CaptureReplay
{
    public static async Task<List<WireCommand>> PlayOutboundAsync(IPEndPoint listener, byte[] serverRaw, byte[] clientRaw, Func<string, string>? editFirstFrame = null)
    {
        var frames = SplitFrames(serverRaw);
        if (editFirstFrame is not null)
        {
            frames[0] = (editFirstFrame(frames[0].Text), true);
        }

        var captured = await ParseCommandsAsync(clientRaw);
        var received = new List<WireCommand>();
        var uuids = new Dictionary<string, string>();
        using var client = new TcpClient();
        await client.ConnectAsync(listener);
        var stream = client.GetStream();
        using var cts = new CancellationTokenSource(FakeEslSession.Timeout * 3);
        var cursor = 0;
        while (cursor < frames.Count && await WireCommand.ReadAsync(stream, cts.Token) is { } command)
        {
            received.Add(command);
            var original = captured[received.Count - 1];
            if (original.Header("event-uuid") is { } theirs && command.Header("event-uuid") is { } ours)
            {
                uuids[theirs] = ours;
            }

            var reply = frames.FindIndex(cursor, f => f.IsReply);
            var next = reply < 0 ? -1 : frames.FindIndex(reply + 1, f => f.IsReply);
            var end = next < 0 ? frames.Count : next;
            var text = new StringBuilder();
            for (; cursor < end; cursor++)
            {
                text.Append(frames[cursor].Text);
            }

            var bytes = text.ToString();
            foreach (var (captureUuid, clientUuid) in uuids)
            {
                bytes = bytes.Replace(captureUuid, clientUuid, StringComparison.Ordinal);
            }

            await stream.WriteAsync(Encoding.Latin1.GetBytes(bytes), cts.Token);
        }

        return received;
    }

    public static async Task<List<WireCommand>> ParseCommandsAsync(byte[] clientRaw)
    {
        using var stream = new MemoryStream(clientRaw);
        var commands = new List<WireCommand>();
        while (await WireCommand.ReadAsync(stream, CancellationToken.None) is { } command)
        {
            commands.Add(command);
        }

        return commands;
    }

    /// <summary>Cuts a server stream into frames (latin-1 text, so bytes survive) and marks the replies: frames whose
    /// envelope says command/reply or api/response (the outbound connect reply has it among its headers).</summary>
    public static List<(string Text, bool IsReply)> SplitFrames(byte[] raw)
    {
        var text = Encoding.Latin1.GetString(raw);
        var frames = new List<(string, bool)>();
        var at = 0;
        while (at < text.Length)
        {
            var headerEnd = text.IndexOf("\n\n", at, StringComparison.Ordinal);
            var header = text[at..headerEnd];
            var length = 0;
            foreach (var line in header.Split('\n'))
            {
                if (line.StartsWith("Content-Length: ", StringComparison.Ordinal))
                {
                    length = int.Parse(line["Content-Length: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            var end = headerEnd + 2 + length;
            var isReply = header.Contains("Content-Type: command/reply", StringComparison.Ordinal) || header.Contains("Content-Type: api/response", StringComparison.Ordinal);
            frames.Add((text[at..end], isReply));
            at = end;
        }

        return frames;
    }
}
