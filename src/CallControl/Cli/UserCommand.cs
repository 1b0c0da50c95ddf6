using CallControl.Data;
using CallControl.Dialing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallControl.Cli;

/// <summary>
/// <c>callcontrol user add ID --name NAME [--phone +E164] [--no-fallback] [--admin]</c>: writes a user to the database
/// of <c>ConnectionStrings:CallControl</c> (default the local cluster), applying migrations first. Bad arguments
/// (e.g. a phone number that is not E.164) exit 2 and write nothing.
/// </summary>
internal static class UserCommand
{
    /// <summary>Used when configuration names no database: the cluster <c>scripts/postgres.sh</c> starts.</summary>
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=callcontrol";

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, IConfiguration configuration, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (args.Count < 2 || args[0] != "add")
        {
            await stderr.WriteLineAsync("user: expected 'user add ID --name NAME ...'").ConfigureAwait(false);
            return CommandLine.Usage;
        }

        var (user, error) = Parse(args[1], [.. args.Skip(2)]);
        if (user is null)
        {
            await stderr.WriteLineAsync("user add: " + error).ConfigureAwait(false);
            return CommandLine.Usage;
        }

        var connectionString = configuration.GetConnectionString(DataServiceCollectionExtensions.ConnectionStringName) ?? DefaultConnectionString;
        DataServiceCollectionExtensions.UseSnakeCaseMapping();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(cancellationToken).ConfigureAwait(false);
        var added = await new UserStore(dataSource).AddAsync(user, cancellationToken).ConfigureAwait(false);
        if (added is null)
        {
            await stderr.WriteLineAsync($"user add: a user '{user.Id}' already exists; nothing changed").ConfigureAwait(false);
            return CommandLine.BadInput;
        }

        await stdout.WriteLineAsync(
            $"user {added.Id} added: name '{added.DisplayName}', phone {added.PhoneNumber ?? "(none)"}, " +
            $"PSTN fallback {(added.PstnFallbackAllowed ? "allowed" : "off")}{(added.IsAdmin ? ", admin" : "")}").ConfigureAwait(false);
        return CommandLine.Ok;
    }

    /// <summary>User ids travel in tokens, TURN user names and logs: 1..64 ASCII letters, digits, '.', '_', '-'.</summary>
    public static bool IsUserId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static (UserRecord? User, string Error) Parse(string id, IReadOnlyList<string> args)
    {
        if (!IsUserId(id))
        {
            return (null, $"user id must be 1 to 64 ASCII letters, digits, '.', '_' or '-'");
        }

        string? name = null, phone = null;
        bool fallback = true, admin = false;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--name" when value is not null: name = value; i++; break;
                case "--phone" when value is not null: phone = value; i++; break;
                case "--no-fallback": fallback = false; break;
                case "--admin": admin = true; break;
                default: return (null, $"unexpected argument '{args[i]}'");
            }
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 200 || name.Any(char.IsControl))
        {
            return (null, "--name NAME is required (up to 200 characters, no control characters)");
        }

        if (phone is not null && !E164Number.TryParse(phone, out _))
        {
            return (null, "--phone must be E.164: '+' and 8 to 15 ASCII digits, the first not 0, nothing else (e.g. +15551230001)");
        }

        return (new UserRecord { Id = id, DisplayName = name, PhoneNumber = phone, PstnFallbackAllowed = fallback, IsAdmin = admin }, "");
    }
}
