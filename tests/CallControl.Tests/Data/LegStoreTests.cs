using System.Text.Json;
using CallControl.Data;
using CallControl.Tests.Support;

namespace CallControl.Tests.Data;

[Collection(DatabaseGroup.Name)]
public sealed class LegStoreTests(DatabaseFixture db)
{
    // Real values from esl-captures/json_cdr/caps-v3-001.post.txt (a carrier leg that failed with 503).
    private static readonly DateTime Start = FreeSwitchTime.FromMicroseconds("1795707700593083")!.Value;

    [Fact]
    public async Task UpsertAsync_the_same_json_cdr_twice_is_one_row()
    {
        var leg = JsonCdrLeg(Guid.NewGuid());

        var first = await db.Legs.UpsertAsync(leg);
        var second = await db.Legs.UpsertAsync(leg);

        Assert.True(first);
        Assert.False(second);
        var row = (await db.Legs.GetAsync(leg.LegUuid))!;
        Assert.Equal("json_cdr", row.Source);
        Assert.Equal("NORMAL_TEMPORARY_FAILURE", row.HangupCause);
        Assert.Equal(1, await CountAsync(leg.LegUuid));
    }

    [Fact]
    public async Task UpsertAsync_event_then_json_cdr_is_one_row_enriched_and_marked_both()
    {
        var call = await db.NewCallAsync();
        var uuid = Guid.NewGuid();
        await db.Legs.UpsertAsync(new LegUpsert
        {
            LegUuid = uuid, Source = LegSource.Event, CallId = call.Id, Role = "pstn", HangupCause = "NORMAL_TEMPORARY_FAILURE",
            StartAt = Start, Variables = """{"x_call_id": "from-event"}""",
        });

        var inserted = await db.Legs.UpsertAsync(JsonCdrLeg(uuid));

        Assert.False(inserted);
        var row = (await db.Legs.GetAsync(uuid))!;
        Assert.Equal(1, await CountAsync(uuid));
        Assert.Equal("both", row.Source);
        Assert.Equal(call.Id, row.CallId);                 // known only to the event path: kept
        Assert.Equal("pstn", row.Role);
        Assert.Equal("503", row.SipTermStatus);            // known only to the CDR: filled in
        Assert.Equal("sofia/external/+15550001111", row.ChannelName);
        Assert.NotNull(row.JsonCdr);
        using var variables = JsonDocument.Parse(row.Variables!);
        Assert.Equal("from-event", variables.RootElement.GetProperty("x_call_id").GetString());
        Assert.Equal("carrier_busy", variables.RootElement.GetProperty("sip_gateway_name").GetString());
        Assert.Single(await db.Legs.ListForCallAsync(call.Id));
    }

    [Fact]
    public async Task UpsertAsync_a_late_event_after_the_json_cdr_never_overwrites_what_the_cdr_said()
    {
        var uuid = Guid.NewGuid();
        await db.Legs.UpsertAsync(JsonCdrLeg(uuid));

        await db.Legs.UpsertAsync(new LegUpsert
        {
            LegUuid = uuid, Source = LegSource.Event, HangupCause = "SOMETHING_ELSE", Billsec = 99, Role = "pstn",
        });

        var row = (await db.Legs.GetAsync(uuid))!;
        Assert.Equal("both", row.Source);
        Assert.Equal("NORMAL_TEMPORARY_FAILURE", row.HangupCause);
        Assert.Equal(0, row.Billsec);
        Assert.Equal("pstn", row.Role);                    // unknown to the CDR: the event fills it in
    }

    [Fact]
    public async Task UpsertAsync_nulls_in_a_later_write_never_wipe_known_values()
    {
        var uuid = Guid.NewGuid();
        await db.Legs.UpsertAsync(JsonCdrLeg(uuid));

        await db.Legs.UpsertAsync(new LegUpsert { LegUuid = uuid, Source = LegSource.JsonCdr });

        var row = (await db.Legs.GetAsync(uuid))!;
        Assert.Equal("NORMAL_TEMPORARY_FAILURE", row.HangupCause);
        Assert.Equal(Start, row.StartAt);
        Assert.Equal("PCMU", row.ReadCodec);
        Assert.NotNull(row.JsonCdr);
        Assert.Equal("json_cdr", row.Source);
    }

    [Fact]
    public async Task UpsertAsync_keeps_the_json_cdr_document_as_it_was_posted()
    {
        // Key order, a repeated key, spacing and a number's spelling: what jsonb would rebuild, kept as sent.
        const string Odd = """{"variables": {"uuid": "x", "b": "1"},  "a": 1.50, "a": 2}""";
        var odd = JsonCdrLeg(Guid.NewGuid()) with { JsonCdr = Odd };
        var body = CallControl.Tests.Cdr.Captures.JsonCdrPost("caps-v3-002.post.txt").Body;
        var real = JsonCdrLeg(Guid.NewGuid()) with { JsonCdr = System.Text.Encoding.UTF8.GetString(body) };

        await db.Legs.UpsertManyAsync([odd, real]);

        Assert.Equal(Odd, (await db.Legs.GetAsync(odd.LegUuid))!.JsonCdr);
        Assert.Equal(real.JsonCdr, (await db.Legs.GetAsync(real.LegUuid))!.JsonCdr);
    }

    [Fact]
    public async Task UpsertAsync_refuses_a_document_that_is_not_json_and_stores_nothing()
    {
        var leg = JsonCdrLeg(Guid.NewGuid()) with { JsonCdr = """{"variables": {"uuid": "x"}""" };

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.Legs.UpsertAsync(leg));

        Assert.Equal(0, await CountAsync(leg.LegUuid));
    }

    [Fact]
    public void FreeSwitchTime_FromMicroseconds_keeps_microseconds_and_maps_zero_to_null()
    {
        Assert.Null(FreeSwitchTime.FromMicroseconds("0"));
        Assert.Null(FreeSwitchTime.FromMicroseconds("not a number"));
        var t = FreeSwitchTime.FromMicroseconds(1795707700593083)!.Value;
        Assert.Equal(DateTimeKind.Utc, t.Kind);
        Assert.Equal(1795707700593083, (t - DateTime.UnixEpoch).Ticks / 10);
    }

    private static LegUpsert JsonCdrLeg(Guid uuid) => new()
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
        Variables = """{"sip_gateway_name": "carrier_busy", "hangup_cause": "NORMAL_TEMPORARY_FAILURE"}""",
        JsonCdr = """{"variables": {"uuid": "x"}}""",
        FreeswitchNode = "vm",
    };

    private async Task<long> CountAsync(Guid uuid)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM call_legs WHERE leg_uuid = @u", connection);
        command.Parameters.AddWithValue("u", uuid);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
