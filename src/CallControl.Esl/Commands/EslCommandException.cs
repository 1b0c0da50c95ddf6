namespace CallControl.Esl.Commands;

/// <summary>
/// FreeSWITCH received the command and said no (<c>-ERR ...</c>). The connection is fine; retrying the same command
/// will usually get the same answer. Distinct from <see cref="Connection.EslConnectionException"/> (transport).
/// </summary>
public sealed class EslCommandException : Exception
{
    /// <summary>Creates the exception from the command line and FreeSWITCH's reply text.</summary>
    public EslCommandException(string? command, string replyText)
        : base($"FreeSWITCH refused '{command ?? "command"}': {replyText?.TrimEnd('\n')}")
    {
        Command = command;
        ReplyText = replyText ?? string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public EslCommandException()
        : this(null, string.Empty)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EslCommandException(string message)
        : this(null, message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public EslCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
        ReplyText = message;
    }

    /// <summary>The command line that was refused (without body), when known.</summary>
    public string? Command { get; }

    /// <summary>FreeSWITCH's text, e.g. <c>-ERR invalid uuid</c>.</summary>
    public string ReplyText { get; }
}
