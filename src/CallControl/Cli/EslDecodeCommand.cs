using CallControl.Esl.Protocol;

namespace CallControl.Cli;

/// <summary>
/// <c>callcontrol esl decode FILE|-</c>: reads a byte stream exactly as FreeSWITCH sends it to a client (an inbound
/// connection from its <c>auth/request</c>, or an outbound one from its <c>connect</c> reply) and prints one JSON object
/// per frame. On bytes that are not Event Socket framing it prints what decoded before them, then
/// <c>esl decode: error at byte N: reason</c> on stderr, and exits 1.
/// </summary>
internal static class EslDecodeCommand
{
    public static async Task<int> RunAsync(
        string input,
        Func<Stream> openStandardInput,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openStandardInput);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        Stream stream;
        try
        {
            stream = input == "-"
                ? openStandardInput()
                : new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await stderr.WriteLineAsync($"esl decode: cannot read {input}: {e.Message}").ConfigureAwait(false);
            return CommandLine.BadInput;
        }

        var decoder = EslStreamDecoder.Create(stream);
        await using (decoder.ConfigureAwait(false))
        {
            var json = new FrameJsonWriter();
            try
            {
                while (await decoder.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
                {
                    await stdout.WriteLineAsync(json.Render(frame)).ConfigureAwait(false);
                }

                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                return CommandLine.Ok;
            }
            catch (EslProtocolException e)
            {
                return await FailAsync(stdout, stderr, e.Offset, e.Reason).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return await FailAsync(stdout, stderr, decoder.Position, "read failed: " + e.Message).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A tool run by hand reports any failure as one line with the offset, never a stack trace.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                return await FailAsync(stdout, stderr, decoder.Position, $"unexpected {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> FailAsync(TextWriter stdout, TextWriter stderr, long offset, string reason)
    {
        await stdout.FlushAsync().ConfigureAwait(false);
        await stderr.WriteLineAsync($"esl decode: error at byte {offset}: {reason}").ConfigureAwait(false);
        return CommandLine.BadInput;
    }
}
