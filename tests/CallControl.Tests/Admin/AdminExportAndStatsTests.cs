using System.Net;
using System.Net.Http.Json;
using System.Text;
using CallControl.Tests.Support;
using Xunit.Abstractions;

namespace CallControl.Tests.Admin;

[Collection(DatabaseGroup.Name)]
public sealed class AdminExportAndStatsTests(DatabaseFixture db, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly AdminData _data = new(db);
    private TestWebHost _host = null!;

    public async Task InitializeAsync() => _host = await AdminData.StartHostAsync(db);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Csv_export_quotes_commas_quotes_newlines_and_keeps_non_ascii_names()
    {
        var caller = AdminData.Unique("csv");
        var room = await _data.RoomAsync();
        string[] callees = ["Smith, John", "say \"hi\"", "two\r\nlines", "Zoë Ångström 日本", "plain", "lf\nonly"];
        var at = new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
        var ids = new List<Guid>();
        for (var i = 0; i < callees.Length; i++)
        {
            ids.Add(await _data.InsertAsync(new SeedCall { RoomId = room, Caller = caller, Callee = callees[i], CreatedAt = at.AddSeconds(i) }));
        }

        using var response = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls.csv?caller={caller}&sort=asc"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("attachment; filename=calls.csv", response.Content.Headers.ContentDisposition!.ToString());
        Assert.Equal(callees.Length + 1, rows.Count);
        var header = rows[0];
        Assert.Equal(["id", "room_id", "caller", "callee"], header.Take(4));
        Assert.Equal(ids.Select(i => i.ToString()), rows.Skip(1).Select(r => r[0]));
        Assert.Equal(callees, rows.Skip(1).Select(r => r[header.IndexOf("callee")]));
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
        Assert.Equal("2026-06-01T08:00:01.000000Z", rows[2][header.IndexOf("created_at")]);
    }

    [Fact]
    public async Task Csv_export_applies_the_filters()
    {
        var caller = AdminData.Unique("csvf");
        var room = await _data.RoomAsync();
        var busy = await _data.InsertAsync(new SeedCall { RoomId = room, Caller = caller, Status = "busy", CreatedAt = DateTime.UtcNow });
        await _data.InsertAsync(new SeedCall { RoomId = room, Caller = caller, Status = "completed", CreatedAt = DateTime.UtcNow });

        using var response = await _host.Http.SendAsync(AdminData.Get($"/api/admin/calls.csv?caller={caller}&status=busy"));
        var rows = ParseCsv(await response.Content.ReadAsStringAsync());

        Assert.Equal([busy.ToString()], rows.Skip(1).Select(r => r[0]));
    }

    [Fact]
    public async Task Csv_export_of_many_rows_streams_every_row_once()
    {
        const int Count = 30_000;
        var caller = AdminData.Unique("bulk");
        var room = await _data.RoomAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO calls (id, room_id, caller, callee, media, status, created_at, duration)
                SELECT gen_random_uuid(), @room, @caller, 'callee ' || n, 'audio', 'completed',
                       timestamptz '2026-07-01 00:00:00Z' + n * interval '1 second', n % 300
                FROM generate_series(1, @count) AS n
                """, new { room, caller, count = Count });
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await _host.Http.SendAsync(
            AdminData.Get($"/api/admin/calls.csv?caller={caller}"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        var lines = 0;
        string? last = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            last = line;
        }

        clock.Stop();
        output.WriteLine($"CSV export: {Count} rows in {clock.Elapsed.TotalMilliseconds:F0} ms ({Count / clock.Elapsed.TotalSeconds:F0} rows/s)");
        Assert.Equal(Count + 1, lines);
        // Newest first: the last line is the first call generated.
        Assert.Contains(",callee 1,", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_per_hour_and_per_day_count_outcomes_and_compute_asr_acd_pdd_and_setup_percentiles()
    {
        // A time range no other test writes into.
        var h10 = new DateTime(2001, 3, 4, 10, 0, 0, DateTimeKind.Utc);
        var room = await _data.RoomAsync();
        var caller = AdminData.Unique("stats");
        SeedCall Call(int minutes, string status) => new() { RoomId = room, Caller = caller, Status = status, CreatedAt = h10.AddMinutes(minutes) };
        await _data.InsertAsync(Call(0, "completed") with
        {
            AnsweredVia = "app", RingingAt = h10.AddSeconds(2), AnsweredAt = h10.AddSeconds(4), Billsec = 60,
        });
        await _data.InsertAsync(Call(10, "completed") with
        {
            AnsweredVia = "pstn", FallbackReason = "no_answer", PstnDialedAt = h10.AddMinutes(10).AddSeconds(5),
            RingingAt = h10.AddMinutes(10).AddSeconds(1), AnsweredAt = h10.AddMinutes(10).AddSeconds(10), Billsec = 30,
        });
        await _data.InsertAsync(Call(20, "busy") with { RingingAt = h10.AddMinutes(20).AddSeconds(3) });
        await _data.InsertAsync(Call(30, "no_answer") with
        {
            FallbackReason = "offline", PstnDialedAt = h10.AddMinutes(30), RingingAt = h10.AddMinutes(30).AddSeconds(4),
        });
        await _data.InsertAsync(Call(60, "canceled"));
        await _data.InsertAsync(Call(65, "refused"));
        await _data.InsertAsync(Call(70, "failed"));
        await _data.InsertAsync(Call(75, "offline"));
        await _data.InsertAsync(Call(24 * 60, "completed"));

        var hours = await StatsAsync("from=2001-03-04T00:00:00Z&to=2001-03-05T00:00:00Z&bucket=hour");
        var days = await StatsAsync("from=2001-03-04T00:00:00Z&to=2001-03-05T00:00:00Z&bucket=day");

        Assert.Equal([h10, h10.AddHours(1)], hours.Select(b => b.BucketStart));
        var first = hours[0];
        Assert.Equal((4, 2, 2, 1, 1, 2, 1), (first.Calls, first.Answered, first.Completed, first.Busy, first.NoAnswer, first.FallbackAttempts, first.FallbackSuccesses));
        Assert.Equal((0, 0, 0, 0), (first.Canceled, first.Refused, first.Failed, first.Offline));
        Assert.Equal(0.5, first.Asr!.Value, 6);
        Assert.Equal(45, first.Acd!.Value, 6);
        Assert.Equal(2.5, first.Pdd!.Value, 6);
        // Setup times 4 s and 10 s; percentiles are nearest-rank, reported as the upper edge of their histogram bin.
        Assert.Equal(4.1, first.SetupP50!.Value, 6);
        Assert.Equal(10.5, first.SetupP95!.Value, 6);
        var second = hours[1];
        Assert.Equal((4, 0, 1, 1, 1, 1), (second.Calls, second.Answered, second.Canceled, second.Refused, second.Failed, second.Offline));
        Assert.Equal(0, second.Asr!.Value, 6);
        Assert.Null(second.Acd);
        Assert.Null(second.Pdd);
        Assert.Null(second.SetupP50);
        var day = Assert.Single(days);
        Assert.Equal(h10.Date, day.BucketStart);
        Assert.Equal((8, 2), (day.Calls, day.Answered));
        Assert.Equal(0.25, day.Asr!.Value, 6);
        Assert.Equal(45, day.Acd!.Value, 6);
    }

    private async Task<List<StatsBucketDto>> StatsAsync(string query)
    {
        using var response = await _host.Http.SendAsync(AdminData.Get("/api/admin/stats?" + query));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<StatsBucketDto>>(AdminData.Json))!;
    }

    /// <summary>A small RFC 4180 reader: quoted fields may hold commas, doubled quotes, CR and LF; records end in CRLF.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; }
                    else if (text[i] == '"') { i++; break; }
                    else { field.Append(text[i++]); }
                }
            }
            else if (text[i] == ',') { row.Add(field.ToString()); field.Clear(); i++; }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i += 2;
            }
            else { field.Append(text[i++]); }
        }

        Assert.Empty(row);
        return rows;
    }
}
