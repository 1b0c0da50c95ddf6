namespace CallControl.Cdr;

/// <summary>The <c>Cdr</c> section's write settings (<see cref="CdrWriter"/>).</summary>
public sealed class CdrWriterOptions
{
    /// <summary>How long a leg's CHANNEL_HANGUP_COMPLETE waits for the same leg's mod_json_cdr POST, so the two are
    /// written as one row. That order happens when mod_json_cdr posts from its own threads (<c>queue-capacity</c>
    /// set) or replays its spool; zero writes every event at once. A leg whose POST never comes is written from the
    /// event alone when this runs out; an event whose POST was stored already is written at once.</summary>
    public TimeSpan EventHold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a POST that came before its leg's event waits for it, so the two are still one write; the POST's
    /// answer waits as long. Zero (the default): FreeSWITCH posts synchronously from the session's reporting state,
    /// before it fires CHANNEL_HANGUP_COMPLETE (switch_core_session_reporting_state runs the on_reporting handlers,
    /// mod_json_cdr's among them, then creates the event), so with this repository's json_cdr.conf.xml (no
    /// <c>queue-capacity</c>) the event cannot come while the POST waits, and a hold would only delay every leg's
    /// teardown by its length. Set it only where mod_json_cdr posts from its queue threads and events may lag.
    /// </summary>
    public TimeSpan PostHold { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long a batch waits for PostgreSQL to store it, at a time, while the process reads nothing else from
    /// PostgreSQL either; then it goes to the journal. A stopped server fails a write at once, but a dark network
    /// (packets dropped, nothing refused) fails nothing: a write waits for Npgsql's own timeouts, 24-43 s in the
    /// partition test, and FreeSWITCH gives each POST 5 s (json_cdr.conf.xml's <c>timeout</c>) and spools the CDR to
    /// disk after three tries. A server that is only slow (bench/load past saturation) keeps answering other
    /// commands, and the write is waited for, up to 30 s.
    /// </summary>
    public TimeSpan StoreDeadline { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>The most legs written in one batch (one round trip, one transaction).</summary>
    public int MaxBatch { get; set; } = 64;
}
