namespace CallControl.Cdr;

/// <summary>The <c>Cdr</c> section's write settings (<see cref="CdrWriter"/>).</summary>
public sealed class CdrWriterOptions
{
    /// <summary>How long a leg's CHANNEL_HANGUP_COMPLETE waits for the same leg's mod_json_cdr POST, so the two are
    /// written as one row. FreeSWITCH posts right after the event (its reporting state follows the hangup), so a
    /// fraction of a second catches it; zero writes every event at once. A leg whose POST never comes is written
    /// from the event alone when this runs out.</summary>
    public TimeSpan EventHold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a POST that came before its leg's event waits for it (the event was behind others in the ESL
    /// queue), so the two are still one write. The POST's answer waits as long, which only holds up FreeSWITCH's
    /// reporting of that one session; zero writes every POST at once. Under load at 90 calls/s, two thirds of the
    /// events came after their POST had been written, each then costing a second write of the row.</summary>
    public TimeSpan PostHold { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most legs written in one batch (one round trip, one transaction).</summary>
    public int MaxBatch { get; set; } = 64;
}
