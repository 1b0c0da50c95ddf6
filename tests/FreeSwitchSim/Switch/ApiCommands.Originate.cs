namespace FreeSwitchSim.Switch;

internal sealed partial class ApiCommands
{
    /// <summary>
    /// originate &lt;dial string&gt; &lt;&amp;app(args) | extension [dialplan] [context]&gt;: answers "+OK &lt;uuid&gt;\n" once
    /// the leg answers (then runs the app or the extension), or "-ERR &lt;CAUSE&gt;\n".
    /// </summary>
    private Task<string> OriginateAsync(string args, CancellationToken cancellationToken)
    {
        var (dial, rest) = SplitDialString(args);
        if (dial.Length == 0)
        {
            return Task.FromResult("-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]\n");
        }
        var target = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_engine.Sync)
        {
            _engine.Originate(dial, null, outcome =>
            {
                if (!outcome.Success || outcome.Leg is null)
                {
                    tcs.TrySetResult("-ERR " + outcome.FailureCause + "\n");
                    return;
                }
                var b = outcome.Leg;
                _engine.FlipCallerId(b);
                tcs.TrySetResult("+OK " + b.Uuid + "\n");
                _engine.RunOriginateTarget(b, target);
            });
        }
        cancellationToken.Register(() => tcs.TrySetCanceled(cancellationToken));
        return tcs.Task;
    }

    /// <summary>The dial string ends at the first space outside {...}.</summary>
    private static (string Dial, string Target) SplitDialString(string args)
    {
        var depth = 0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    break;
                case ' ' when depth <= 0:
                    return (args[..i], args[(i + 1)..].Trim());
            }
        }
        return (args, "");
    }
}
