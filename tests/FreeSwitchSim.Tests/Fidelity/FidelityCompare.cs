using System.Text;
using System.Text.RegularExpressions;

namespace FreeSwitchSim.Tests.Fidelity;

/// <summary>
/// Compares what the simulator sent with what FreeSWITCH sent in a capture: replies in order (masked), event names
/// in order per channel role, events without a channel in order, header names and value formats of every pair of
/// corresponding events. Differences the simulator is known to have are passed in explicitly (<paramref
/// name="knownGaps"/>, each a line of the report with its reason in the test); a listed gap that no longer occurs
/// fails too, so the list stays exact.
/// </summary>
internal static partial class FidelityCompare
{
    public static void Same(CaptureTimeline timeline, SessionView simulated, IReadOnlyCollection<string>? knownGaps = null)
    {
        var captured = new SessionView(timeline.Frames.Select(f => f.Frame));
        var clientUuids = timeline.Writes.SelectMany(w => UuidIn().Matches(Encoding.Latin1.GetString(w.Bytes)).Select(m => m.Value)).ToHashSet();
        var diffs = new List<string>();

        var expectedReplies = captured.Replies.Select(r => ReplyMask.Mask(r, captured.Roles, clientUuids)).ToList();
        var actualReplies = simulated.Replies.Select(r => ReplyMask.Mask(r, simulated.Roles, clientUuids)).ToList();
        for (var i = 0; i < Math.Max(expectedReplies.Count, actualReplies.Count); i++)
        {
            var e = i < expectedReplies.Count ? expectedReplies[i] : "(none)";
            var a = i < actualReplies.Count ? actualReplies[i] : "(none)";
            if (e != a)
            {
                diffs.Add($"reply {i}: captured '{e}' simulated '{a}'");
            }
        }
        if (!captured.Notices.SequenceEqual(simulated.Notices))
        {
            diffs.Add($"disconnect notices: captured [{string.Join("|", captured.Notices)}] simulated [{string.Join("|", simulated.Notices)}]");
        }

        if (captured.Roles.Count != simulated.Roles.Count)
        {
            diffs.Add($"channels: captured {captured.Roles.Count} simulated {simulated.Roles.Count}");
        }
        for (var role = 0; role < Math.Min(captured.Roles.Count, simulated.Roles.Count); role++)
        {
            var theirs = captured.EventsOf(role);
            var ours = simulated.EventsOf(role);
            if (!theirs.Select(e => e.Type).SequenceEqual(ours.Select(e => e.Type)))
            {
                diffs.Add($"leg{role} order: captured {string.Join(" ", theirs.Select(e => e.Type))} | simulated {string.Join(" ", ours.Select(e => e.Type))}");
            }
            ComparePairs(theirs, ours, diffs);
        }

        var theirUnowned = captured.Unowned();
        var ourUnowned = simulated.Unowned();
        if (!theirUnowned.Select(e => e.Type).SequenceEqual(ourUnowned.Select(e => e.Type)))
        {
            diffs.Add($"events without a channel: captured {string.Join(" ", theirUnowned.Select(e => e.Type))} | simulated {string.Join(" ", ourUnowned.Select(e => e.Type))}");
        }
        ComparePairs(theirUnowned, ourUnowned, diffs);
        // HEARTBEAT and its RE_SCHEDULE: their times depend on the core's start, their shape does not.
        ComparePairs(captured.Events.Where(SessionView.IsHeartbeatTask).ToList(), simulated.Events.Where(SessionView.IsHeartbeatTask).ToList(), diffs);

        var found = diffs.Distinct().ToList();
        // FIDELITY_DIFF_DIR=<dir> writes every difference found, to review or to update a known-gap list.
        if (Environment.GetEnvironmentVariable("FIDELITY_DIFF_DIR") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            File.WriteAllLines(Path.Combine(dir, timeline.Scenario + ".txt"), found);
        }
        var allowed = (knownGaps ?? []).Select(g => (Gap: g, Pattern: GapPattern(g))).ToList();
        var unexpected = found.Where(d => !allowed.Any(g => g.Pattern.IsMatch(d))).ToList();
        var stale = allowed.Where(g => !found.Any(g.Pattern.IsMatch)).Select(g => g.Gap).ToList();
        if (unexpected.Count > 0 || stale.Count > 0)
        {
            Assert.Fail($"{timeline.Scenario}: {unexpected.Count} unexpected difference(s), {stale.Count} listed gap(s) no longer seen\n"
                + string.Join("\n", unexpected.Select(d => "  + " + d)) + "\n" + string.Join("\n", stale.Select(d => "  - " + d)));
        }
    }

    /// <summary>A known gap is a difference line as printed, where <c>*</c> stands for any text (one gap can
    /// cover the same header on several event types).</summary>
    private static Regex GapPattern(string gap) =>
        new("^" + Regex.Escape(gap).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);

    /// <summary>Pairs events by type and occurrence (the n-th CHANNEL_STATE with the n-th), then compares header
    /// names (variables aside) and, for headers on both sides, the value's format class and percent-encoding.</summary>
    private static void ComparePairs(List<WireEvent> theirs, List<WireEvent> ours, List<string> diffs)
    {
        foreach (var group in theirs.GroupBy(e => e.Type))
        {
            var mine = ours.Where(e => e.Type == group.Key).ToList();
            var index = 0;
            foreach (var captured in group)
            {
                if (index >= mine.Count)
                {
                    break;
                }
                var simulated = mine[index++];
                var expected = captured.ShapeNames.ToList();
                var actual = simulated.ShapeNames.ToList();
                foreach (var missing in expected.Except(actual))
                {
                    diffs.Add($"{group.Key} header {missing}: missing");
                }
                foreach (var extra in actual.Except(expected))
                {
                    diffs.Add($"{group.Key} header {extra}: extra");
                }
                if (expected.Except(actual).Any() == false && actual.Except(expected).Any() == false && !expected.SequenceEqual(actual))
                {
                    diffs.Add($"{group.Key} header order: captured {string.Join(",", expected)} simulated {string.Join(",", actual)}");
                }
                CompareFormats(group.Key, captured, simulated, diffs);
            }
        }
    }

    private static void CompareFormats(string type, WireEvent captured, WireEvent simulated, List<string> diffs)
    {
        // Channel variables come from templates of the captures with per-call values (FIDELITY.md, "Header
        // values"): their names and formats are not compared, as for header names.
        foreach (var (name, value) in captured.Headers.Where(h => !h.Key.StartsWith("variable_", StringComparison.Ordinal)))
        {
            if (simulated.Get(name) is not { } ours)
            {
                continue;
            }
            var (c, s) = (FormatClass.Of(value), FormatClass.Of(ours));
            if (c != s)
            {
                diffs.Add($"{type} {name}: format captured {c} simulated {s}");
            }
            // JSON events are not percent-encoded: only compare the encoding of plain events on both sides.
            if (captured.Plain && simulated.Plain && captured.PercentEncoded.Contains(name) != simulated.PercentEncoded.Contains(name))
            {
                diffs.Add($"{type} {name}: percent-encoded captured {captured.PercentEncoded.Contains(name)} simulated {simulated.PercentEncoded.Contains(name)}");
            }
        }
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex UuidIn();
}
