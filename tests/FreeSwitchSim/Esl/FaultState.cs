namespace FreeSwitchSim.Esl;

/// <summary>Server-wide misbehaviour every connection consults: a stall deadline for command processing.</summary>
internal sealed class FaultState
{
    private long _stallUntilTicks;

    public DateTimeOffset StallUntil
    {
        get => new(Interlocked.Read(ref _stallUntilTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _stallUntilTicks, value.UtcTicks);
    }
}
