using System.Globalization;
using CallControl.Esl.Connection;

namespace CallControl.Esl.Tests.Support;

/// <summary>Answers commands the way mod_event_socket does (reply texts as captured in commands.timeline.jsonl).</summary>
internal static class FakeResponder
{
    /// <summary>Greets, accepts the password, then answers every command until the client leaves.</summary>
    public static async Task ServeAsync(FakeEslSession session, string password = "ClueCon")
    {
        await session.GreetAsync();
        await session.AcceptAuthAsync(password);
        await AnswerAllAsync(session);
    }

    public static async Task AnswerAllAsync(FakeEslSession session)
    {
        while (true)
        {
            WireCommand command;
            try
            {
                command = await session.ReadCommandAsync();
            }
            catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
            {
                return;
            }

            if (!await AnswerAsync(session, command))
            {
                return;
            }
        }
    }

    /// <summary>Answers one command; false after exit.</summary>
    public static async Task<bool> AnswerAsync(FakeEslSession session, WireCommand command)
    {
        var words = command.Line.Split(' ');
        switch (words[0])
        {
            case "event":
                await session.ReplyAsync("+OK event listener enabled " + words[1]);
                break;
            case "nixevent":
                await session.ReplyAsync("+OK events nixed");
                break;
            case "noevents":
                await session.ReplyAsync("+OK no longer listening for events");
                break;
            case "filter" when words.Length > 2 && words[1] == "delete":
                await session.ReplyAsync($"+OK filter deleted. [{words[2]}][{string.Join(' ', words.Skip(3))}]");
                break;
            case "filter":
                await session.ReplyAsync($"+OK filter added. [{words[1]}]=[{string.Join(' ', words.Skip(2))}]");
                break;
            case "myevents":
                await session.ReplyAsync("+OK Events Enabled");
                break;
            case "log":
                await session.ReplyAsync($"+OK log level {words[1]} [{words[1]}]");
                break;
            case "nolog":
                await session.ReplyAsync("+OK no longer logging");
                break;
            case "api":
                await session.ApiResponseAsync("+OK " + string.Join(' ', words.Skip(1)) + "\n");
                break;
            case "bgapi":
                var job = command.Header("Job-UUID") ?? Guid.NewGuid().ToString();
                await session.SendRawAsync($"Content-Type: command/reply\nReply-Text: +OK Job-UUID: {job}\nJob-UUID: {job}\n\n");
                await session.EventAsync(BackgroundJob(job, string.Join(' ', words.Skip(1))), "+OK done\n");
                break;
            case "exit":
                await session.ReplyAsync("+OK bye");
                await session.DisconnectNoticeAsync();
                session.Close();
                return false;
            default:
                await session.ReplyAsync("-ERR command not found");
                break;
        }

        return true;
    }

    public static List<KeyValuePair<string, string>> BackgroundJob(string jobUuid, string command) =>
    [
        new("Event-Name", "BACKGROUND_JOB"),
        new("Core-UUID", "659c4001-110b-469d-aeec-e58f1be1b235"),
        new("Event-Sequence", "1"),
        new("Job-UUID", jobUuid),
        new("Job-Command", command),
    ];

    public static List<KeyValuePair<string, string>> Event(string name, long sequence, string? uniqueId = null)
    {
        List<KeyValuePair<string, string>> headers =
        [
            new("Event-Name", name),
            new("Core-UUID", "659c4001-110b-469d-aeec-e58f1be1b235"),
            new("Event-Sequence", sequence.ToString(CultureInfo.InvariantCulture)),
        ];
        if (uniqueId is not null)
        {
            headers.Add(new("Unique-ID", uniqueId));
        }

        return headers;
    }

    public static EslConnectionOptions Options(FakeEslServer server, Action<EslConnectionOptions>? configure = null)
    {
        var options = new EslConnectionOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            Password = "ClueCon",
            LivenessTimeout = null,
            CommandTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ReconnectBase = TimeSpan.FromMilliseconds(20),
            ReconnectCap = TimeSpan.FromMilliseconds(200),
            ReconnectJitter = TimeSpan.FromMilliseconds(10),
        };
        configure?.Invoke(options);
        return options;
    }
}
