using FreeSwitchSim.Core;
using FreeSwitchSim.Tests.Support;

namespace FreeSwitchSim.Tests.Switch;

/// <summary>Compares what the simulated switch fired with what real FreeSWITCH sent in a capture.</summary>
internal static class CaptureCompare
{
    /// <summary>Events the simulator does not model (RTCP reports, SRTP key notices): left out of comparisons.</summary>
    private static readonly HashSet<string> Unmodelled = new(StringComparer.Ordinal) { "RECV_RTCP_MESSAGE", "CALL_SECURE" };

    /// <summary>The stock default context's "global" extension (set open=true, log, sleep) the sim leaves out.</summary>
    private static bool IsGlobalExtensionStep(CapturedEvent e) =>
        e.Name is "CHANNEL_EXECUTE" or "CHANNEL_EXECUTE_COMPLETE"
        && (e.Get("Application") is "log" or "sleep" || (e.Get("Application") == "set" && e.Get("Application-Data") == "open=true"));

    public static List<string> CapturedNames(string scenario, string uuid) =>
        CaptureStream.Events(scenario)
            .Where(e => e.UniqueId == uuid && e.Name != "CUSTOM" && !Unmodelled.Contains(e.Name) && !IsGlobalExtensionStep(e))
            .Select(e => e.Name)
            .ToList();

    public static CapturedEvent CapturedLast(string scenario, string uuid, string name) =>
        CaptureStream.Events(scenario).Last(e => e.UniqueId == uuid && e.Name == name);

    /// <summary>Asserts the same event names in the same order, with a readable diff on failure.</summary>
    public static void SameSequence(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string role)
    {
        if (!expected.SequenceEqual(actual))
        {
            Assert.Fail($"{role}: event order differs\n captured: {string.Join(" ", expected)}\n simulated: {string.Join(" ", actual)}");
        }
    }

    /// <summary>The hangup facts of a leg: cause, sip_term_status, disposition.</summary>
    public static void SameHangup(CapturedEvent captured, SimEvent simulated, string role)
    {
        foreach (var name in new[] { "Hangup-Cause", "variable_sip_term_status", "variable_sip_hangup_disposition", "variable_verto_hangup_disposition", "variable_originate_disposition" })
        {
            Assert.True(captured.Get(name) == simulated.Get(name), $"{role}: {name} captured '{captured.Get(name)}' simulated '{simulated.Get(name)}'");
        }
    }

    /// <summary>Header names (variables aside) in order, for one event of each side.</summary>
    public static void SameShape(CapturedEvent captured, SimEvent simulated, string role)
    {
        var expected = captured.ShapeNames().ToList();
        var actual = simulated.Headers.Select(h => h.Key).Where(k => !k.StartsWith("variable_", StringComparison.Ordinal)).ToList();
        if (!expected.SequenceEqual(actual))
        {
            var missing = expected.Except(actual).ToList();
            var extra = actual.Except(expected).ToList();
            Assert.Fail($"{role} {captured.Name}: headers differ; missing [{string.Join(", ", missing)}] extra [{string.Join(", ", extra)}]\n captured: {string.Join(" ", expected)}\n simulated: {string.Join(" ", actual)}");
        }
    }
}
