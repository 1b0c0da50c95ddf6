namespace CallControl.Cdr.Journal;

/// <summary>The <c>Cdr</c> section's journal settings.</summary>
public sealed class CdrJournalOptions
{
    public const string SectionName = "Cdr";

    /// <summary>The journal file; relative paths are taken from the working directory (<c>./callcontrol</c> runs from the
    /// repository, so the default lands in its ignored <c>.local/</c>). One journal per service instance.</summary>
    public string JournalPath { get; set; } = Path.Combine(".local", "cdr-journal", "cdr.journal");

    /// <summary>How often the replay loop tries PostgreSQL again while the journal holds CDRs.</summary>
    public TimeSpan JournalReplayInterval { get; set; } = TimeSpan.FromSeconds(2);
}
