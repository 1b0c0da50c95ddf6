using System.Globalization;
using System.Text;

namespace CallControl.Esl.Commands;

/// <summary>
/// <c>sendmsg</c> commands: run a dialplan application on a channel, or hang it up. The <c>event-uuid</c> we send
/// comes back as <c>Application-UUID</c> on CHANNEL_EXECUTE and CHANNEL_EXECUTE_COMPLETE, which is how completion
/// is matched.
/// </summary>
public static class EslSendMsg
{
    /// <summary>Arguments longer than this many UTF-8 bytes travel in a <c>text/plain</c> body, as mod_event_socket
    /// allows, instead of the <c>execute-app-arg</c> header line.</summary>
    public const int MaxHeaderArgBytes = 1024;

    /// <summary>
    /// <c>sendmsg [uuid]</c> with <c>call-command: execute</c>. <paramref name="uuid"/> is required on inbound sockets
    /// and omitted on an outbound socket (the controlled channel). Arguments must not hold CR, LF or NUL.
    /// </summary>
    public static EslCommand Execute(string? uuid, string application, string? args = null, Guid? eventUuid = null, bool eventLock = false, bool async = false, int loops = 1)
    {
        var command = EslCommand.Create("sendmsg", uuid is null ? null : EslCommands.Word(uuid, nameof(uuid)))
            .WithHeader("call-command", "execute")
            .WithHeader("execute-app-name", EslCommands.Word(application, nameof(application)));
        var argInBody = false;
        if (!string.IsNullOrEmpty(args))
        {
            EslCommand.ValidateValue(args, nameof(args));
            argInBody = Encoding.UTF8.GetByteCount(args) > MaxHeaderArgBytes;
            if (!argInBody)
            {
                command = command.WithHeader("execute-app-arg", args);
            }
        }

        if (eventLock)
        {
            command = command.WithHeader("event-lock", "true");
        }

        if (async)
        {
            command = command.WithHeader("async", "true");
        }

        if (loops != 1)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(loops);
            command = command.WithHeader("loops", loops.ToString(CultureInfo.InvariantCulture));
        }

        if (eventUuid is { } id)
        {
            command = command.WithHeader("event-uuid", id.ToString("D"));
        }

        return argInBody ? command.WithBody(args!, "text/plain") : command;
    }

    /// <summary><c>sendmsg [uuid]</c> with <c>call-command: hangup</c> and a hangup cause (e.g. NORMAL_CLEARING).</summary>
    public static EslCommand Hangup(string? uuid, string cause = "NORMAL_CLEARING") =>
        EslCommand.Create("sendmsg", uuid is null ? null : EslCommands.Word(uuid, nameof(uuid)))
            .WithHeader("call-command", "hangup")
            .WithHeader("hangup-cause", EslCommands.Word(cause, nameof(cause)));
}
