using System.Globalization;
using CallControl.Auth;
using Microsoft.Extensions.Options;

namespace CallControl.Cli;

/// <summary>
/// <c>callcontrol token --user ID [--role admin] [--ttl 1h]</c>: prints a bearer token signed with the service's key
/// (configuration <c>Auth:SigningKey</c>: appsettings + environment <c>Auth__SigningKey</c>, like the service).
/// </summary>
internal static class TokenCommand
{
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, IConfiguration configuration, TextWriter stdout, TextWriter stderr)
    {
        if (!TryParse(args, out var user, out var role, out var ttl, out var error))
        {
            await stderr.WriteLineAsync("token: " + error).ConfigureAwait(false);
            return CommandLine.Usage;
        }

        var options = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (!options.HasValidKey)
        {
            await stderr.WriteLineAsync(
                $"token: Auth:SigningKey is not set or shorter than {AuthOptions.MinimumKeyBytes} bytes (set Auth__SigningKey)").ConfigureAwait(false);
            return CommandLine.BadInput;
        }

        var token = new TokenService(Options.Create(options), TimeProvider.System).Mint(user, role, ttl);
        await stdout.WriteLineAsync(token).ConfigureAwait(false);
        return CommandLine.Ok;
    }

    /// <summary>
    /// The service's configuration as a tool sees it: appsettings.json and appsettings.{environment}.json beside the
    /// binary, then environment variables. The environment is ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT, and
    /// Development when neither is set (these are developer tools; the development key lives in appsettings.Development.json).
    /// </summary>
    public static IConfiguration LoadConfiguration()
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? "Development";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }

    /// <summary>Parses <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>7d</c> (or a TimeSpan like <c>01:00:00</c>); must be positive.</summary>
    public static bool TryParseTtl(string text, out TimeSpan ttl)
    {
        ttl = default;
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            ttl = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => default,
            };
            return ttl > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out ttl) && ttl > TimeSpan.Zero;
    }

    private static bool TryParse(IReadOnlyList<string> args, out string user, out string? role, out TimeSpan ttl, out string error)
    {
        (user, role, ttl, error) = ("", null, TimeSpan.FromHours(1), "");
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--user" when value is not null: user = value; i++; break;
                case "--role" when value is not null: role = value; i++; break;
                case "--ttl" when value is not null:
                    if (!TryParseTtl(value, out ttl))
                    {
                        error = $"--ttl '{value}' is not a positive duration like 90s, 30m, 1h, 7d";
                        return false;
                    }

                    i++;
                    break;
                default:
                    error = $"unexpected argument '{args[i]}'";
                    return false;
            }
        }

        if (!UserCommand.IsUserId(user))
        {
            error = "--user ID is required: 1 to 64 ASCII letters, digits, '.', '_' or '-'";
            return false;
        }

        if (role is not null && !UserCommand.IsUserId(role))
        {
            error = "--role must be a plain word, e.g. admin";
            return false;
        }

        return true;
    }
}
