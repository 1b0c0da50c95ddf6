using Npgsql;
using NpgsqlTypes;

namespace CallControl.Data;

/// <summary>
/// Positional parameters with their PostgreSQL type fixed, for the statements on the call path. A parameter whose type
/// is inferred from its value (as Dapper's are: a null and a set timestamp can reach PostgreSQL as different types)
/// changes the statement's parameter types from one execution to the next, and Npgsql then runs it unprepared: parsed
/// and planned again every time. Typed, each text has one signature and stays auto-prepared.
/// </summary>
internal static class TypedParameters
{
    public static NpgsqlParameter Text(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    public static NpgsqlParameter Value<T>(T? value, NpgsqlDbType type) where T : struct =>
        new() { Value = value.HasValue ? value.Value : DBNull.Value, NpgsqlDbType = type };

    public static NpgsqlParameter<T> Required<T>(T value, NpgsqlDbType type) => new() { TypedValue = value, NpgsqlDbType = type };
}
