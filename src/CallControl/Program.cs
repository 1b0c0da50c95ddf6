using CallControl.Cli;
using CallControl.Hosting;

// `callcontrol` with no arguments or `serve` runs the service; any other verb is a tool that runs and exits.
if (!CommandLine.IsServe(args, out var serviceArgs))
{
    return await CommandLine.RunAsync(args, Console.OpenStandardInput, Console.Out, Console.Error).ConfigureAwait(false);
}

// The service's parts are listed once, in ServiceApp, so the tests' in-process host runs the same pipeline.
var app = ServiceApp.Build(serviceArgs);
await app.RunAsync().ConfigureAwait(false);
return CommandLine.Ok;
