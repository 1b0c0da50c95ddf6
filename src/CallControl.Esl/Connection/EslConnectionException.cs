namespace CallControl.Esl.Connection;

/// <summary>Why a connection ended.</summary>
public enum EslFailureKind
{
    /// <summary>The socket closed or could not be opened (FreeSWITCH restarted, network, <c>exit</c>).</summary>
    SocketClosed,

    /// <summary>The bytes were not Event Socket framing or broke a frame limit.</summary>
    ProtocolError,

    /// <summary>FreeSWITCH refused the password (<c>-ERR invalid</c>).</summary>
    AuthFailed,

    /// <summary>FreeSWITCH's ACL refused the connection (<c>text/rude-rejection</c>).</summary>
    Rejected,

    /// <summary>A reply or the liveness signal did not come in time.</summary>
    Timeout,

    /// <summary>The connection was disposed by its owner.</summary>
    Disposed,
}

/// <summary>
/// The connection failed: every pending command and background job fails once with the same instance. Not a
/// FreeSWITCH refusal (that is <see cref="Commands.EslCommandException"/>). <see cref="IsTransient"/> says whether
/// reconnecting may help.
/// </summary>
public class EslConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EslConnectionException(EslFailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>Creates the exception.</summary>
    public EslConnectionException()
        : this(EslFailureKind.SocketClosed, "ESL connection failed")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EslConnectionException(string message)
        : this(EslFailureKind.SocketClosed, message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public EslConnectionException(string message, Exception innerException)
        : this(EslFailureKind.SocketClosed, message, innerException)
    {
    }

    /// <summary>What failed.</summary>
    public EslFailureKind Kind { get; }

    /// <summary>True when a new connection may succeed (socket closed, timeout, protocol error); false for a wrong
    /// password, an ACL rejection, or a disposed connection.</summary>
    public bool IsTransient => Kind is EslFailureKind.SocketClosed or EslFailureKind.Timeout or EslFailureKind.ProtocolError;
}

/// <summary>
/// FreeSWITCH would not let us in: a wrong password (<c>-ERR invalid</c>, then it closes the socket) or an ACL
/// rejection (<c>text/rude-rejection</c>, "Access Denied, go away."). Not transient: reconnecting in a tight loop
/// cannot help.
/// </summary>
public sealed class EslAuthenticationException : EslConnectionException
{
    /// <summary>Creates the exception with FreeSWITCH's text.</summary>
    public EslAuthenticationException(EslFailureKind kind, string replyText)
        : base(kind, kind == EslFailureKind.Rejected
            ? $"FreeSWITCH's ACL rejected the connection: {replyText.TrimEnd('\n')}"
            : $"FreeSWITCH refused authentication: {replyText.TrimEnd('\n')}")
    {
        ReplyText = replyText;
    }

    /// <summary>Creates the exception.</summary>
    public EslAuthenticationException()
        : this(EslFailureKind.AuthFailed, "-ERR invalid")
    {
    }

    /// <summary>Creates the exception with FreeSWITCH's text.</summary>
    public EslAuthenticationException(string message)
        : this(EslFailureKind.AuthFailed, message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public EslAuthenticationException(string message, Exception innerException)
        : base(EslFailureKind.AuthFailed, message, innerException)
    {
        ReplyText = message;
    }

    /// <summary>FreeSWITCH's text: <c>-ERR invalid</c>, or the rejection body.</summary>
    public string ReplyText { get; }
}
