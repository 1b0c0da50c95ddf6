using FreeSwitchSim.Core;
using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>
/// Header names and order, per event, against the capture: every event of a leg is compared with the captured
/// event at the same position of the same leg (variables aside; their values differ by nature).
/// </summary>
public sealed class EventShapeTests
{
    [Fact]
    public void Fallback_answer_events_have_the_captured_headers_in_order()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-f1");
        var b = Guid.NewGuid().ToString();
        h.Execute(a, "bridge", $"{{origination_uuid={b},ignore_early_media=false,x_call_id=c-f1,room_id=f1,origination_caller_id_number=+15551110000,hangup_after_bridge=true}}sofia/gateway/carrier/+15552220001", Guid.NewGuid().ToString());
        h.Advance(1500);
        h.Api("uuid_send_dtmf", $"{b} 1234#@250");
        var wav = Path.Combine(h.Options.RecordingsDir, "f1.wav");
        h.Api("uuid_record", $"{a} start {wav}");
        h.Advance(1500);
        h.Api("uuid_record", $"{a} stop {wav}");
        h.Api("uuid_kill", $"{b} NORMAL_CLEARING");
        h.Advance(100);
        h.Api("uuid_kill", a);

        var problems = Compare(h, "fallback-answer", a, "89b67870-cb1f-4c3a-8265-f6e6a85ef05d")
            .Concat(Compare(h, "fallback-answer", b, "a4bcffd2-ec09-4543-b715-d01e7d4ed10b"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void App_to_app_events_have_the_captured_headers_in_order()
    {
        using var h = new SwitchHarness();
        var a = h.Switch.PlaceSipCall("alice", "Alice", "room-a1");
        var b = h.Switch.PlaceSipCall("bob", "Bob", "room-a1");
        h.Api("uuid_answer", b);
        h.Api("uuid_answer", a);
        h.Api("uuid_bridge", $"{a} {b}");
        h.Api("uuid_setvar", $"{a} RECORD_STEREO true");
        var wav = Path.Combine(h.Options.RecordingsDir, "a1.wav");
        h.Api("uuid_record", $"{a} start {wav}");
        h.Api("uuid_recv_dtmf", $"{b} 42#");
        h.Advance(3500);
        h.Api("uuid_record", $"{a} stop {wav}");
        h.Api("uuid_kill", $"{b} NORMAL_CLEARING");

        var problems = Compare(h, "app-to-app", a, "61d34001-2f0c-4002-9cf5-0a7c8243e39c")
            .Concat(Compare(h, "app-to-app", b, "3077311f-781b-4220-998b-3fb97cc2646c"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Verto_room_call_events_have_the_captured_headers_in_order()
    {
        using var h = new SwitchHarness();
        await h.Switch.LoginAsync("1000", "1234", CancellationToken.None);
        var a = h.Switch.PlaceCall("1000", "room-v1");
        h.Api("uuid_answer", a);
        h.Advance(3000);
        h.Switch.PressDigits(a, "3");
        h.Switch.Hangup(a);

        var problems = Compare(h, "verto-room-call", a, "781e556b-3b95-4045-be4a-774b373467d9").ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Pairs the leg's events with the captured leg's (same name, same occurrence) and lists differences.</summary>
    private static IEnumerable<string> Compare(SwitchHarness h, string scenario, string uuid, string capturedUuid)
    {
        var captured = CaptureStream.Events(scenario).Where(e => e.UniqueId == capturedUuid && e.Name != "CUSTOM")
            .Where(e => !(e.Name is "CHANNEL_EXECUTE" or "CHANNEL_EXECUTE_COMPLETE" && e.Get("Application") is "log" or "sleep"))
            .Where(e => !(e.Name is "CHANNEL_EXECUTE" or "CHANNEL_EXECUTE_COMPLETE" && e.Get("Application-Data") == "open=true"))
            .GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.ToList());
        var ours = h.Events.Where(e => e.UniqueId == uuid && e.Name != "CUSTOM").GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (name, list) in ours)
        {
            if (!captured.TryGetValue(name, out var theirs))
            {
                yield return $"{name}: not in the capture";
                continue;
            }
            for (var i = 0; i < Math.Min(list.Count, theirs.Count); i++)
            {
                var diff = Diff(theirs[i], list[i]);
                if (diff is not null)
                {
                    yield return $"{name}#{i}: {diff}";
                }
            }
        }
    }

    private static string? Diff(CapturedEvent captured, SimEvent simulated)
    {
        var expected = captured.ShapeNames().ToList();
        var actual = simulated.Headers.Select(x => x.Key).Where(k => !k.StartsWith("variable_", StringComparison.Ordinal)).ToList();
        if (expected.SequenceEqual(actual))
        {
            foreach (var key in new[] { "Event-Calling-File", "Event-Calling-Function", "Event-Calling-Line-Number", "Channel-State", "Channel-State-Number", "Channel-Call-State", "Answer-State", "Call-Direction" })
            {
                if (captured.Get(key) != simulated.Get(key))
                {
                    return $"{key} captured '{captured.Get(key)}' simulated '{simulated.Get(key)}'";
                }
            }
            return null;
        }
        var at = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(i => expected[i] != actual[i]);
        return $"missing [{string.Join(", ", expected.Except(actual))}] extra [{string.Join(", ", actual.Except(expected))}]; first difference at {at}: captured {expected.ElementAtOrDefault(at)} simulated {actual.ElementAtOrDefault(at)}";
    }
}
