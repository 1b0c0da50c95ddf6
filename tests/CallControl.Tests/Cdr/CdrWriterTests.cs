using System.Text.Json;
using CallControl.Cdr;
using CallControl.Cdr.Journal;
using CallControl.Data;
using CallControl.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.Tests.Cdr;

/// <summary>
/// The CDR writer on real PostgreSQL: batches, an event written together with its leg's POST, a refused row failing
/// alone, and held events written on shutdown.
/// </summary>
[Collection(DatabaseGroup.Name)]
public sealed class CdrWriterTests(DatabaseFixture db) : IDisposable
{
    private static readonly DateTime Start = FreeSwitchTime.FromMicroseconds("1795707700593083")!.Value;
    private readonly string _journalDir = Path.Combine(Path.GetTempPath(), "cdrwriter-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task An_event_and_its_post_within_the_hold_are_one_combined_row()
    {
        var call = await db.NewCallAsync();
        await using var writer = NewWriter(TimeSpan.FromSeconds(30));
        var uuid = Guid.NewGuid();

        writer.Submit(EventLeg(uuid, call.Id));
        var durability = await writer.WriteAsync(CdrLeg(uuid), CancellationToken.None);

        Assert.Equal(CdrDurability.Stored, durability);
        Assert.Equal(1, writer.Combined);
        Assert.Equal(1, writer.Rows);                       // one write, not an insert and an update
        var row = (await db.Legs.GetAsync(uuid))!;
        Assert.Equal("both", row.Source);
        Assert.Equal(call.Id, row.CallId);                  // only the event knew it
        Assert.Equal("node1", row.FreeswitchNode);          // only the event knew it
        Assert.Equal("NORMAL_TEMPORARY_FAILURE", row.HangupCause); // both knew it: the CDR's value
        Assert.Equal("503", row.SipTermStatus);             // only the CDR knew it
        Assert.NotNull(row.JsonCdr);
        using var variables = JsonDocument.Parse(row.Variables!);
        Assert.Equal("from-event", variables.RootElement.GetProperty("only_in_event").GetString());
        Assert.Equal("cdr", variables.RootElement.GetProperty("in_both").GetString());
        Assert.Equal("carrier_busy", variables.RootElement.GetProperty("sip_gateway_name").GetString());
    }

    [Fact]
    public async Task A_post_before_its_event_waits_for_it_and_the_two_are_one_combined_row()
    {
        var call = await db.NewCallAsync();
        await using var writer = NewWriter(TimeSpan.FromSeconds(30), postHold: TimeSpan.FromSeconds(30));
        var uuid = Guid.NewGuid();

        var posted = writer.WriteAsync(CdrLeg(uuid), CancellationToken.None);
        await Task.Delay(200);
        Assert.False(posted.IsCompleted);                   // held for its event
        Assert.Null(await db.Legs.GetAsync(uuid));
        writer.Submit(EventLeg(uuid, call.Id));

        Assert.Equal(CdrDurability.Stored, await posted);
        Assert.Equal((1L, 1L, 0L), (writer.Combined, writer.Rows, writer.Late));
        var row = (await db.Legs.GetAsync(uuid))!;
        Assert.Equal("both", row.Source);
        Assert.Equal(call.Id, row.CallId);                  // only the event knew it
        Assert.Equal("node1", row.FreeswitchNode);
        Assert.Equal("503", row.SipTermStatus);             // only the CDR knew it
    }

    [Fact]
    public async Task A_post_whose_event_never_comes_is_written_alone_when_its_hold_runs_out()
    {
        await using var writer = NewWriter(TimeSpan.FromSeconds(30), postHold: TimeSpan.FromMilliseconds(50));
        var uuid = Guid.NewGuid();

        Assert.Equal(CdrDurability.Stored, await writer.WriteAsync(CdrLeg(uuid), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("json_cdr", (await db.Legs.GetAsync(uuid))!.Source);
        Assert.Equal(0, writer.Combined);
    }

    [Fact]
    public async Task The_combined_row_is_the_row_two_separate_writes_leave()
    {
        var call = await db.NewCallAsync();
        var combined = Guid.NewGuid();
        var separate = Guid.NewGuid();
        await using (var writer = NewWriter(TimeSpan.FromSeconds(30)))
        {
            writer.Submit(EventLeg(combined, call.Id));
            await writer.WriteAsync(CdrLeg(combined), CancellationToken.None);
        }

        await db.Legs.UpsertAsync(EventLeg(separate, call.Id));
        await db.Legs.UpsertAsync(CdrLeg(separate));

        var a = (await db.Legs.GetAsync(combined))!;
        var b = (await db.Legs.GetAsync(separate))!;
        Assert.Equal(b with { LegUuid = default, UpdatedAt = default }, a with { LegUuid = default, UpdatedAt = default });
    }

    [Fact]
    public async Task By_default_a_post_is_not_held_so_an_event_that_follows_it_is_written_after_it()
    {
        // FreeSWITCH fires CHANNEL_HANGUP_COMPLETE only once its synchronous POST has been answered, so by default a
        // POST waits for nothing: here the event comes while the POST is being written, and is written after it.
        Assert.Equal(TimeSpan.Zero, new CdrWriterOptions().PostHold);
        var call = await db.NewCallAsync();
        var journal = new CdrJournal(
            Options.Create(new CdrJournalOptions { JournalPath = Path.Combine(_journalDir, "cdr.journal") }),
            NullLogger<CdrJournal>.Instance);
        await using var writer = new CdrWriter(
            db.Legs, journal, Options.Create(new CdrWriterOptions()), new ServiceCollection().BuildServiceProvider(), NullLogger<CdrWriter>.Instance);
        var uuid = Guid.NewGuid();
        Assert.False(writer.IsStored(uuid));

        Assert.Equal(CdrDurability.Stored, await writer.WriteAsync(CdrLeg(uuid), CancellationToken.None));
        Assert.Equal("json_cdr", (await db.Legs.GetAsync(uuid))!.Source);
        Assert.True(writer.IsStored(uuid));                 // so the event handler maps the event's facts alone
        writer.Submit(EventLeg(uuid, call.Id));

        var row = await ServiceHostWait.UntilAsync(() => db.Legs.GetAsync(uuid), r => r?.Source == "both", "the event's write");
        Assert.Equal((0L, 1L), (writer.Combined, writer.Late));
        Assert.Equal("node1", row!.FreeswitchNode);
    }

    [Fact]
    public async Task An_event_after_its_stored_post_fills_in_facts_and_leaves_the_documents_variables()
    {
        var call = await db.NewCallAsync();
        await using var writer = NewWriter(TimeSpan.FromSeconds(30));
        var uuid = Guid.NewGuid();
        await writer.WriteAsync(CdrLeg(uuid), CancellationToken.None);
        var posted = (await db.Legs.GetAsync(uuid))!;

        writer.Submit(EventLeg(uuid, call.Id));

        var row = await ServiceHostWait.UntilAsync(() => db.Legs.GetAsync(uuid), r => r?.Source == "both", "the late event's write");
        Assert.Equal(1, writer.Late);
        Assert.Equal("node1", row!.FreeswitchNode);       // only the event knew it
        Assert.Equal(call.Id, row.CallId);
        Assert.Equal("NORMAL_TEMPORARY_FAILURE", row.HangupCause);
        Assert.Equal(posted.Variables, row.Variables);    // the document's variables, untouched
        Assert.Equal(posted.JsonCdr, row.JsonCdr);
    }

    [Fact]
    public async Task An_event_without_a_post_is_written_alone_when_the_hold_runs_out()
    {
        await using var writer = NewWriter(TimeSpan.FromMilliseconds(50));
        var uuid = Guid.NewGuid();

        writer.Submit(EventLeg(uuid, callId: null));

        var row = await ServiceHostWait.UntilAsync(() => db.Legs.GetAsync(uuid), r => r is not null, "the event's row");
        Assert.Equal("event", row!.Source);
        Assert.Null(row.JsonCdr);
        Assert.Equal(0, writer.Combined);
    }

    [Fact]
    public async Task Held_events_are_written_when_the_writer_stops()
    {
        var uuid = Guid.NewGuid();
        var writer = NewWriter(TimeSpan.FromMinutes(5));
        writer.Submit(EventLeg(uuid, callId: null));
        Assert.Null(await db.Legs.GetAsync(uuid));

        await writer.DisposeAsync();

        Assert.Equal("event", (await db.Legs.GetAsync(uuid))!.Source);
    }

    [Fact]
    public async Task Concurrent_writes_share_batches_and_all_land()
    {
        await using var writer = NewWriter(TimeSpan.Zero);
        var uuids = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToArray();

        var results = await Task.WhenAll(uuids.Select(u => Task.Run(() => writer.WriteAsync(CdrLeg(u), CancellationToken.None))));

        Assert.All(results, r => Assert.Equal(CdrDurability.Stored, r));
        foreach (var u in uuids)
        {
            Assert.NotNull(await db.Legs.GetAsync(u));
        }

        Assert.Equal(200, writer.Rows);
        Assert.True(writer.Batches < 200, $"{writer.Batches} batches for 200 writes");
    }

    [Fact]
    public async Task A_row_postgres_refuses_fails_alone_and_its_batch_mates_are_stored()
    {
        await using var writer = NewWriter(TimeSpan.Zero);
        var good = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToArray();
        var bad = Guid.NewGuid();

        var goodWrites = good.Select(u => writer.WriteAsync(CdrLeg(u), CancellationToken.None)).ToArray();
        var badWrite = writer.WriteAsync(CdrLeg(bad) with { Role = "operator" }, CancellationToken.None); // violates the role check
        var strayCall = Guid.NewGuid();
        var stray = writer.WriteAsync(CdrLeg(strayCall) with { CallId = Guid.NewGuid() }, CancellationToken.None); // names no call row

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => badWrite);
        Assert.All(await Task.WhenAll(goodWrites), r => Assert.Equal(CdrDurability.Stored, r));
        Assert.Equal(CdrDurability.Stored, await stray);
        Assert.Null(await db.Legs.GetAsync(bad));
        Assert.Null((await db.Legs.GetAsync(strayCall))!.CallId);   // stored without the link
        foreach (var u in good)
        {
            Assert.NotNull(await db.Legs.GetAsync(u));
        }
    }

    [Fact]
    public void Options_reject_a_negative_hold_and_an_empty_batch()
    {
        foreach (var (key, value) in new[] { ("Cdr:EventHold", "-00:00:01"), ("Cdr:PostHold", "00:00:06"), ("Cdr:MaxBatch", "0") })
        {
            var services = new ServiceCollection().AddLogging();
            services.AddCdr(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build());
            using var provider = services.BuildServiceProvider();
            var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CdrWriterOptions>>().Value);
            Assert.Contains(key, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true, CdrDurability.Stored)]
    [InlineData(false, CdrDurability.Journaled)]
    public async Task A_write_past_the_store_deadline_is_waited_for_while_postgresql_answers_others_and_journaled_when_it_is_silent(
        bool othersAnswered, CdrDurability expected)
    {
        var uuid = Guid.NewGuid();
        using var traffic = new PostgresTraffic(db.DataSource.ConnectionString);
        var journal = new CdrJournal(
            Options.Create(new CdrJournalOptions { JournalPath = Path.Combine(_journalDir, "cdr.journal") }),
            NullLogger<CdrJournal>.Instance);
        await using var writer = new CdrWriter(
            db.Legs,
            journal,
            Options.Create(new CdrWriterOptions { StoreDeadline = TimeSpan.FromMilliseconds(300) }),
            new ServiceCollection().AddSingleton(traffic).BuildServiceProvider(),
            NullLogger<CdrWriter>.Instance);
        Assert.Equal(CdrDurability.Stored, await writer.WriteAsync(CdrLeg(uuid), CancellationToken.None));

        // Another session holds the leg's row: the next write of it waits (slow, not lost), for five deadlines.
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand("SELECT 1 FROM call_legs WHERE leg_uuid = $1 FOR UPDATE", holder, hold))
        {
            lockRow.Parameters.Add(new Npgsql.NpgsqlParameter { Value = uuid });
            await lockRow.ExecuteScalarAsync();
        }

        using var stopOthers = new CancellationTokenSource();
        var others = othersAnswered ? OtherCommandsAsync(stopOthers.Token) : Task.CompletedTask;
        var write = writer.WriteAsync(CdrLeg(uuid) with { SipTermStatus = "487" }, CancellationToken.None);
        await Task.WhenAny(write, Task.Delay(TimeSpan.FromMilliseconds(1500)));
        await hold.CommitAsync();
        var durability = await write;
        await stopOthers.CancelAsync();
        await others;

        Assert.Equal(expected, durability);
        Assert.Equal(expected == CdrDurability.Journaled ? 1 : 0, journal.Pending);
    }

    // Someone else's commands, answered throughout: what a loaded but reachable PostgreSQL looks like to the writer.
    private async Task OtherCommandsAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await using var command = db.DataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(CancellationToken.None);
            await Task.Delay(50, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_journalDir))
        {
            Directory.Delete(_journalDir, recursive: true);
        }
    }

    private CdrWriter NewWriter(TimeSpan hold, TimeSpan? postHold = null)
    {
        var journal = new CdrJournal(
            Options.Create(new CdrJournalOptions { JournalPath = Path.Combine(_journalDir, "cdr.journal") }),
            NullLogger<CdrJournal>.Instance);
        return new CdrWriter(
            db.Legs,
            journal,
            Options.Create(new CdrWriterOptions { EventHold = hold, PostHold = postHold ?? TimeSpan.Zero }),
            new ServiceCollection().BuildServiceProvider(),
            NullLogger<CdrWriter>.Instance);
    }

    private static LegUpsert EventLeg(Guid uuid, Guid? callId) => new()
    {
        LegUuid = uuid,
        Source = LegSource.Event,
        CallId = callId,
        Role = "pstn",
        ChannelName = "sofia/external/+15550001111",
        HangupCause = "NORMAL_TEMPORARY_FAILURE",
        StartAt = Start,
        Variables = """{"only_in_event": "from-event", "in_both": "event"}""",
        FreeswitchNode = "node1",
    };

    private static LegUpsert CdrLeg(Guid uuid) => new()
    {
        LegUuid = uuid,
        Source = LegSource.JsonCdr,
        ChannelName = "sofia/external/+15550001111",
        Direction = "outbound",
        StartAt = Start,
        EndAt = Start,
        Duration = 0,
        Billsec = 0,
        HangupCause = "NORMAL_TEMPORARY_FAILURE",
        SipTermStatus = "503",
        ReadCodec = "PCMU",
        WriteCodec = "PCMU",
        Variables = """{"sip_gateway_name": "carrier_busy", "in_both": "cdr"}""",
        JsonCdr = """{"variables": {"uuid": "x"}}""",
    };
}
