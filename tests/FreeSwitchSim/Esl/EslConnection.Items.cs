using FreeSwitchSim.Core;

namespace FreeSwitchSim.Esl;

/// <summary>What goes through a listener's inbox besides commands, in the order it must be written.</summary>
internal sealed partial class EslConnection
{
    private sealed record QueuedEvent(SimEvent Event);

    private sealed record QueuedLog(SimLogLine Line);

    private sealed record RawBytes(byte[] Bytes);

    private sealed record KillAfterQueue(string Message);

    private sealed class ChannelDown
    {
        public static readonly ChannelDown Instance = new();
    }

    private sealed class LingerExpired
    {
        public static readonly LingerExpired Instance = new();
    }

    private sealed class FirstCommandTimedOut
    {
        public static readonly FirstCommandTimedOut Instance = new();
    }

    private sealed class ReaderDone
    {
        public static readonly ReaderDone Instance = new();
    }
}
