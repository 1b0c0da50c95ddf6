namespace CallControl.Esl.Protocol;

/// <summary>
/// The byte stream is not Event Socket framing: a header line without a colon, a bad or oversized
/// <c>Content-Length</c>, a line or header block beyond the limits, or a stream that ended inside a frame.
/// The connection that produced it cannot be trusted any further and is closed.
/// </summary>
public sealed class EslProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EslProtocolException(string reason, long offset)
        : base($"ESL protocol error at byte {offset}: {reason}")
    {
        Reason = reason;
        Offset = offset;
    }

    /// <summary>Creates the exception without an offset.</summary>
    public EslProtocolException()
        : this("protocol error", 0)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EslProtocolException(string message)
        : this(message, 0)
    {
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    public EslProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>What was wrong.</summary>
    public string Reason { get; } = "protocol error";

    /// <summary>Byte offset in the stream (from the start of the connection, or of the frame when the
    /// reader is used alone) where the bad frame starts or the fault was seen.</summary>
    public long Offset { get; }
}
