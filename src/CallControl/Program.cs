using CallControl.Cli;

// `callcontrol` with no arguments or `serve` runs the service; any other verb is a tool that runs and exits.
if (!CommandLine.IsServe(args, out var serviceArgs))
{
    return await CommandLine.RunAsync(args, Console.OpenStandardInput, Console.Out, Console.Error).ConfigureAwait(false);
}

var builder = WebApplication.CreateBuilder(serviceArgs);
var app = builder.Build();

app.MapGet("/health/live", () => TypedResults.Ok());

await app.RunAsync().ConfigureAwait(false);
return CommandLine.Ok;
