using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;

namespace CallControl.Cdr.Query;

// CSV export: rows stream from an unbuffered reader straight to the writer, so memory stays flat however many rows.
public sealed partial class CallQuery
{
    private const int FlushEveryRows = 500;

    /// <summary>Writes every call matching <paramref name="filter"/> as RFC 4180 CSV (header row, CRLF line ends).</summary>
    public async Task WriteCsvAsync(CallFilter filter, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var (sql, parameters) = Select(filter, null, null);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            sql, parameters, cancellationToken: cancellationToken, flags: CommandFlags.None)).ConfigureAwait(false);
        var line = new StringBuilder();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            AppendField(line, i, reader.GetName(i));
        }

        await writer.WriteAsync(line.Append("\r\n"), cancellationToken).ConfigureAwait(false);
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            line.Clear();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                AppendField(line, i, Format(reader, i));
            }

            await writer.WriteAsync(line.Append("\r\n"), cancellationToken).ConfigureAwait(false);
            if (++rows % FlushEveryRows == 0)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Format(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return "";
        }

        return reader.GetValue(ordinal) switch
        {
            DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var v => v.ToString() ?? "",
        };
    }

    /// <summary>RFC 4180: a field holding a comma, quote, CR or LF is quoted, its quotes doubled.</summary>
    internal static void AppendField(StringBuilder line, int index, string value)
    {
        if (index > 0)
        {
            line.Append(',');
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }

        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
