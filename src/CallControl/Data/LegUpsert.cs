namespace CallControl.Data;

/// <summary>
/// What one path (the ESL event or mod_json_cdr) knows about one leg. Null fields are unknown, and an unknown
/// never overwrites a known value.
/// </summary>
public sealed record LegUpsert
{
    /// <summary>The channel's Unique-ID: the one key both paths share.</summary>
    public required Guid LegUuid { get; init; }
    public required LegSource Source { get; init; }
    public Guid? CallId { get; init; }
    /// <summary><c>caller</c>, <c>callee</c> or <c>pstn</c>.</summary>
    public string? Role { get; init; }
    public string? ChannelName { get; init; }
    public string? Direction { get; init; }
    public DateTime? StartAt { get; init; }
    public DateTime? ProgressAt { get; init; }
    public DateTime? ProgressMediaAt { get; init; }
    public DateTime? AnswerAt { get; init; }
    public DateTime? EndAt { get; init; }
    public int? Duration { get; init; }
    public int? Billsec { get; init; }
    public string? HangupCause { get; init; }
    public string? SipTermStatus { get; init; }
    public string? ReadCodec { get; init; }
    public string? WriteCodec { get; init; }
    /// <summary>
    /// The channel variables as a JSON object. A leg built from decoded variables (<see cref="VariableMap"/>) writes
    /// this text only when it is first read, by the writer that stores it: an event and a POST of one leg are merged
    /// as maps and serialised once, instead of serialised twice, parsed again and merged as text.
    /// </summary>
    public string? Variables
    {
        get => _variables ??= _variableMap is null ? null : System.Text.Json.JsonSerializer.Serialize(_variableMap);
        init
        {
            _variables = value;
            _variableMap = null;
        }
    }

    /// <summary>The decoded variables the leg was built from, when it was (not stored as such; see <see cref="Variables"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, string>? VariableMap
    {
        get => _variableMap;
        init
        {
            _variableMap = value;
            _variables = null;
        }
    }

    // Either the text, or the map it is written from on first read (a benign race: two readers write equal text).
    private string? _variables;
    private IReadOnlyDictionary<string, string>? _variableMap;
    /// <summary>The whole mod_json_cdr document, when this came from it.</summary>
    public string? JsonCdr { get; init; }
    public string? FreeswitchNode { get; init; }

    /// <summary><see cref="Source"/> as the <c>source</c> column spells it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string SourceText => Source switch
    {
        LegSource.Event => "event",
        LegSource.JsonCdr => "json_cdr",
        _ => "both",
    };
}

/// <summary>Which path wrote a leg row.</summary>
public enum LegSource
{
    /// <summary>The ESL CHANNEL_HANGUP_COMPLETE event.</summary>
    Event,
    /// <summary>FreeSWITCH's mod_json_cdr POST: the ground truth.</summary>
    JsonCdr,
    /// <summary>Both, combined before they were written (the event and the POST of one leg arrived together).</summary>
    Both,
}

/// <summary>A stored leg (<c>call_legs</c>); <see cref="Source"/> is <c>event</c>, <c>json_cdr</c> or <c>both</c>.</summary>
public sealed record LegRecord
{
    public Guid LegUuid { get; init; }
    public Guid? CallId { get; init; }
    public string? Role { get; init; }
    public string? ChannelName { get; init; }
    public string? Direction { get; init; }
    public DateTime? StartAt { get; init; }
    public DateTime? ProgressAt { get; init; }
    public DateTime? ProgressMediaAt { get; init; }
    public DateTime? AnswerAt { get; init; }
    public DateTime? EndAt { get; init; }
    public int? Duration { get; init; }
    public int? Billsec { get; init; }
    public string? HangupCause { get; init; }
    public string? SipTermStatus { get; init; }
    public string? ReadCodec { get; init; }
    public string? WriteCodec { get; init; }
    public string? Variables { get; init; }
    public required string Source { get; init; }
    public string? JsonCdr { get; init; }
    public string? FreeswitchNode { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>FreeSWITCH's times: microseconds since the Unix epoch (<c>start_uepoch</c>, <c>Caller-Channel-*-Time</c>).</summary>
public static class FreeSwitchTime
{
    /// <summary>The UTC time, or null for 0 (FreeSWITCH's "never": <c>answer_uepoch=0</c> on an unanswered leg).</summary>
    public static DateTime? FromMicroseconds(long microseconds) =>
        microseconds <= 0 ? null : DateTime.UnixEpoch.AddTicks(microseconds * (TimeSpan.TicksPerMillisecond / 1000));

    /// <summary>As <see cref="FromMicroseconds(long)"/> from the decimal text FreeSWITCH sends; null when it is not a number.</summary>
    public static DateTime? FromMicroseconds(string? text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var us)
            ? FromMicroseconds(us)
            : null;
}
