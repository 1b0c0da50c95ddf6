namespace CallControl.Esl.Events;

/// <summary>Typed accessors for what every caller needs.</summary>
public sealed partial class EslEvent
{
    /// <summary><c>Event-Name</c> (e.g. CHANNEL_ANSWER, CUSTOM, BACKGROUND_JOB).</summary>
    public string? EventName => _eventName ??= GetHeader("Event-Name");

    /// <summary><c>Event-Subclass</c> of a CUSTOM event (e.g. <c>verto::login</c>).</summary>
    public string? Subclass => GetHeader("Event-Subclass");

    /// <summary>The channel's <c>Unique-ID</c> (any case), or null for events without a channel.</summary>
    public string? UniqueId => GetHeader("Unique-ID");

    /// <summary><c>Job-UUID</c> of a BACKGROUND_JOB event.</summary>
    public string? JobUuid => GetHeader("Job-UUID");

    /// <summary><c>Channel-State</c>, e.g. CS_EXECUTE.</summary>
    public string? ChannelState => GetHeader("Channel-State");

    /// <summary><c>Channel-Call-State</c>, e.g. RINGING, EARLY, ACTIVE, HANGUP.</summary>
    public string? CallState => GetHeader("Channel-Call-State");

    /// <summary><c>Answer-State</c>: ringing, early, answered, hangup.</summary>
    public string? AnswerState => GetHeader("Answer-State");

    /// <summary><c>Hangup-Cause</c>, e.g. NORMAL_CLEARING, USER_BUSY, NO_ANSWER.</summary>
    public string? HangupCause => GetHeader("Hangup-Cause");

    /// <summary><c>Call-Direction</c>: inbound or outbound.</summary>
    public string? CallDirection => GetHeader("Call-Direction");

    /// <summary><c>Channel-Name</c>, e.g. <c>sofia/gateway/carrier/+15551230001</c>.</summary>
    public string? ChannelName => GetHeader("Channel-Name");

    /// <summary><c>Other-Leg-Unique-ID</c> on bridge events.</summary>
    public string? OtherLegUniqueId => GetHeader("Other-Leg-Unique-ID");

    /// <summary><c>Application</c> on CHANNEL_EXECUTE(_COMPLETE).</summary>
    public string? Application => GetHeader("Application");

    /// <summary><c>Application-UUID</c> on CHANNEL_EXECUTE(_COMPLETE): the <c>event-uuid</c> sent with sendmsg.</summary>
    public string? ApplicationUuid => GetHeader("Application-UUID");

    /// <summary><c>Event-Sequence</c>, or null.</summary>
    public long? EventSequence => _table is not null
        ? (_table.TryGetInt64("Event-Sequence", out var s) ? s : null)
        : (long.TryParse(GetHeader("Event-Sequence"), out var j) ? j : null);

    /// <summary><c>Event-Date-Timestamp</c> (microseconds since the Unix epoch) as a time, or null.</summary>
    public DateTimeOffset? Timestamp
    {
        get
        {
            long micros;
            if (_table is not null ? !_table.TryGetInt64("Event-Date-Timestamp", out micros) : !long.TryParse(GetHeader("Event-Date-Timestamp"), out micros))
            {
                return null;
            }

            return DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
        }
    }

    /// <summary>A channel variable as the event carries it (<c>variable_&lt;name&gt;</c>), or null.</summary>
    public string? GetVariable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_table is null)
        {
            return GetHeader("variable_" + name);
        }

        // Built on the stack: a consumer reading one variable per event should pay for the value, not the name.
        const string Prefix = "variable_";
        var length = Prefix.Length + name.Length;
        Span<char> full = length <= 256 ? stackalloc char[length] : new char[length];
        Prefix.CopyTo(full);
        name.CopyTo(full[Prefix.Length..]);
        return _table.Get(full);
    }

    /// <inheritdoc/>
    public override string ToString() => Subclass is { } sub ? $"{EventName} {sub}" : EventName ?? "(event)";
}
