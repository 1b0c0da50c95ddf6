using System.Text.Json;
using CallControl.Cdr;
using CallControl.Data;

namespace CallControl.Tests.Cdr;

/// <summary>
/// One leg's event and POST merged into one row: mapped legs merge their decoded variables and write JSON once, and
/// the row is the same as merging the two JSON texts.
/// </summary>
public sealed class LegMergeTests
{
    [Fact]
    public void Mapped_legs_merge_their_variables_the_document_winning_and_the_event_filling_in()
    {
        var (fromEvent, fromCdr) = CapturedLeg();
        var eventVariables = new Dictionary<string, string>(fromEvent.VariableMap!)
        {
            ["only_in_event"] = "from-event",
            ["hangup_cause"] = "EVENT_SAID_SO",
        };
        fromEvent = fromEvent with { VariableMap = eventVariables };

        var combined = LegMerge.Combine(fromEvent, fromCdr);

        Assert.Equal(LegSource.Both, combined.Source);
        Assert.NotNull(combined.VariableMap);                       // merged as maps, not yet written as text
        var row = Flat(combined.Variables!);
        Assert.Equal("from-event", row["only_in_event"]);
        Assert.Equal(fromCdr.VariableMap!["hangup_cause"], row["hangup_cause"]);
        Assert.Equal(fromCdr.VariableMap.Count + 1, row.Count);
    }

    [Fact]
    public void Merging_maps_gives_the_row_merging_their_json_texts_gives()
    {
        var (fromEvent, fromCdr) = CapturedLeg();
        fromEvent = fromEvent with
        {
            VariableMap = new Dictionary<string, string>(fromEvent.VariableMap!) { ["only_in_event"] = "x", ["uuid"] = "event" },
        };

        var byMaps = LegMerge.Combine(fromEvent, fromCdr);
        var byTexts = LegMerge.Combine(fromEvent with { Variables = fromEvent.Variables }, fromCdr with { Variables = fromCdr.Variables });

        Assert.Null(byTexts.VariableMap);
        Assert.Equal(Flat(byTexts.Variables!), Flat(byMaps.Variables!));
        Assert.Equal(byTexts with { Variables = null }, byMaps with { Variables = null });
    }

    [Fact]
    public void Setting_the_text_replaces_the_map_and_clearing_it_clears_both()
    {
        var (fromEvent, _) = CapturedLeg();

        var text = fromEvent with { Variables = """{"a": "b"}""" };
        var cleared = fromEvent with { Variables = null };

        Assert.Null(text.VariableMap);
        Assert.Equal("""{"a": "b"}""", text.Variables);
        Assert.Null(cleared.VariableMap);
        Assert.Null(cleared.Variables);
        Assert.Equal(fromEvent.VariableMap!.Count, Flat(fromEvent.Variables!).Count);
    }

    // The captured app-to-app caller leg, by its CHANNEL_HANGUP_COMPLETE and by its json_cdr POST.
    private static (LegUpsert FromEvent, LegUpsert FromCdr) CapturedLeg()
    {
        var events = Captures.Events("app-to-app");
        try
        {
            var e = events.Single(x => x.EventName == "CHANNEL_HANGUP_COMPLETE" && x.UniqueId == "3077311f-781b-4220-998b-3fb97cc2646c");
            var post = Captures.JsonCdrPost("caps-v3-002.post.txt");
            return (HangupEventMapper.Map(e, "vm")!, JsonCdrMapper.Map(post.Body, post.Uuid).Leg!);
        }
        finally
        {
            events.ForEach(x => x.Dispose());
        }
    }

    private static Dictionary<string, string> Flat(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
}
