using System.Buffers;
using System.Text;
using FreeSwitchSim.Esl;

namespace FreeSwitchSim.Tests.Esl;

public sealed class CommandParserTests
{
    private static List<EslCommand> ParseAll(byte[] data, int chunk)
    {
        // Feed the bytes in pieces the way a socket might deliver them, keeping unconsumed bytes.
        var commands = new List<EslCommand>();
        var pending = Array.Empty<byte>();
        for (var i = 0; i < data.Length; i += chunk)
        {
            pending = [.. pending, .. data.AsSpan(i, Math.Min(chunk, data.Length - i)).ToArray()];
            var seq = new ReadOnlySequence<byte>(pending);
            while (CommandParser.TryParse(ref seq, out var c))
            {
                commands.Add(c!);
            }
            pending = seq.ToArray();
        }
        return commands;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Commands_capture_parses_the_same_in_any_chunking(int chunk)
    {
        var commands = ParseAll(Captures.Bytes("commands.client.raw"), chunk);

        Assert.Equal(38, commands.Count);
        Assert.Equal("auth ClueCon", commands[0].Line);
        Assert.Equal("7f4db78a-5f1c-4a1e-9a59-1c6a3c0b8e11", commands[10].Header("job-uuid"));
        var body = commands.Single(c => c.Body is not null);
        Assert.Equal("line one\nline two with café\n", body.Body);
        Assert.Equal("callcontrol::body", body.Header("Event-Subclass"));
        Assert.Equal("café 100%", commands[31].Header("X-Note"));
        Assert.Equal("exit", commands[^1].Line);
    }

    [Fact]
    public void Body_length_is_counted_in_bytes_not_characters()
    {
        var data = Encoding.UTF8.GetBytes("sendmsg u1\ncall-command: execute\nContent-Length: 7\n\néé\nabapi status\n\n");
        var commands = ParseAll(data, 3);

        Assert.Equal("éé\nab", commands[0].Body);
        Assert.Equal("api status", commands[1].Line);
    }

    [Fact]
    public void Leading_blank_lines_and_crlf_are_tolerated()
    {
        var commands = ParseAll(Encoding.ASCII.GetBytes("\r\n\napi status\r\n\r\nevent plain ALL\n\n"), 1);

        Assert.Equal(["api status", "event plain ALL"], commands.Select(c => c.Line));
    }

    [Fact]
    public void Incomplete_command_waits_for_more_bytes()
    {
        var seq = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("sendmsg\nContent-Length: 5\n\nab"));

        Assert.False(CommandParser.TryParse(ref seq, out _));
    }

    [Fact]
    public void Negative_content_length_is_rejected()
    {
        var seq = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("sendmsg\nContent-Length: -4\n\n"));

        Assert.Throws<InvalidDataException>(() => CommandParser.TryParse(ref seq, out _));
    }
}
