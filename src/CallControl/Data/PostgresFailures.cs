using Npgsql;

namespace CallControl.Data;

/// <summary>How a failed PostgreSQL command is worth treating.</summary>
public static class PostgresFailures
{
    /// <summary>
    /// A failure worth trying again: PostgreSQL not there (connect refused, broken connection, server shutting down,
    /// timeout) or refusing only for now (a serialization failure, a deadlock), as opposed to "PostgreSQL refused this
    /// row or statement".
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is TimeoutException or NpgsqlException { IsTransient: true } ||
        (e is NpgsqlException and not PostgresException && e.InnerException is IOException or System.Net.Sockets.SocketException);
}
