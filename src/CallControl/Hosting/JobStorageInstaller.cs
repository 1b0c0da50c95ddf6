using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Hosting;

/// <summary>
/// Creates or upgrades Hangfire's tables in <c>Jobs:Schema</c> at start. Registered after the migrator, so it runs
/// once the service's own migrations hold no lock any more; Hangfire.PostgreSql's installer serialises itself (one
/// serializable transaction per script), so several instances starting together are safe.
/// </summary>
internal sealed partial class JobStorageInstaller(IConfiguration configuration, IOptions<JobsOptions> options, ILogger<JobStorageInstaller> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = Data.DataServiceCollectionExtensions.Dedicated(
            configuration.GetConnectionString(Data.DataServiceCollectionExtensions.ConnectionStringName)!);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var schema = options.Value.Schema;
        // The installer is synchronous; keep it off the caller's thread.
        await Task.Run(() => PostgreSqlObjectsInstaller.Install(connection, schema), cancellationToken).ConfigureAwait(false);
        LogInstalled(logger, schema);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(4900, LogLevel.Information, "Job storage ready in schema {Schema}")]
    private static partial void LogInstalled(ILogger logger, string schema);
}
