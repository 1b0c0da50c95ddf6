namespace CallControl.Cli;

/// <summary>
/// The <c>callcontrol</c> command line: no arguments or <c>serve</c> runs the service; other verbs are tools that run
/// and exit. Exit codes: 0 done, 1 the input was bad (the tool says where), 2 the command line was wrong.
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Usage = 2;

    private const string UsageText = """
        usage:
          callcontrol [serve [ASP.NET Core options]]   run the service
          callcontrol esl decode FILE|-               decode an Event Socket byte stream (as FreeSWITCH sends it,
                                                      inbound or outbound) to one JSON object per frame on stdout
          callcontrol demo [--url URL] [--sim URL] [--carrier-answer-ms N]
                                                      drive demo calls through a running ./run.sh and print them
                                                      (the callee's phone answers after N ms, default 1500)
          callcontrol token --user ID [--role admin] [--ttl 1h]
                                                      print a bearer token signed with Auth:SigningKey
          callcontrol user add ID --name NAME [--phone +E164] [--no-fallback] [--admin]
                                                      add a user to the database (migrating it first)
        """;

    /// <summary>Whether the arguments ask for the web service; <paramref name="serviceArgs"/> are what it gets.</summary>
    public static bool IsServe(string[] args, out string[] serviceArgs)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            serviceArgs = [];
            return true;
        }

        if (args[0] == "serve")
        {
            serviceArgs = args[1..];
            return true;
        }

        serviceArgs = [];
        return false;
    }

    /// <summary>Runs a tool verb and returns the process exit code. Never throws for bad input or arguments.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        Func<Stream> openStandardInput,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args is ["esl", "decode", var input])
        {
            return await EslDecodeCommand.RunAsync(input, openStandardInput, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        if (args.Count > 0 && args[0] == "token")
        {
            return await TokenCommand.RunAsync([.. args.Skip(1)], TokenCommand.LoadConfiguration(), stdout, stderr).ConfigureAwait(false);
        }

        if (args.Count > 0 && args[0] == "user")
        {
            return await UserCommand.RunAsync([.. args.Skip(1)], TokenCommand.LoadConfiguration(), stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        if (args is ["demo", ..])
        {
            return await DemoCommand.RunAsync([.. args.Skip(1)], stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        if (args is ["esl", "decode", ..])
        {
            await stderr.WriteLineAsync("esl decode: expects exactly one argument, a file name or - for standard input").ConfigureAwait(false);
        }
        else if (args.Count > 0 && args[0] is not ("--help" or "-h" or "help"))
        {
            await stderr.WriteLineAsync($"callcontrol: unknown command '{string.Join(' ', args)}'").ConfigureAwait(false);
        }

        await stderr.WriteAsync(UsageText).ConfigureAwait(false);
        await stderr.WriteLineAsync().ConfigureAwait(false);
        return Usage;
    }
}
