namespace CallControl.Observability;

/// <summary>The <c>Observability</c> section.</summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>How often the queried figures (job queues, failed recordings) are refreshed.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}
