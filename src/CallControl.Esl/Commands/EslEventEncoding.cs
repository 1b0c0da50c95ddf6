namespace CallControl.Esl.Commands;

/// <summary>The event format asked for with <c>event plain|json ...</c>.</summary>
public enum EslEventEncoding
{
    /// <summary><c>text/event-plain</c>: percent-encoded header blocks (FreeSWITCH's default).</summary>
    Plain,

    /// <summary><c>text/event-json</c>.</summary>
    Json,
}
