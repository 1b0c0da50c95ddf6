using FreeSwitchSim.Core;

namespace FreeSwitchSim.Esl;

/// <summary>The simulator's misbehaviour switchboard, callable in-process and over the control API.</summary>
public sealed class SimulatorFaults
{
    private readonly EslServer _esl;
    private readonly ISwitchControl _switch;

    public SimulatorFaults(EslServer esl, ISwitchControl switchControl)
    {
        _esl = esl;
        _switch = switchControl;
    }

    /// <summary>Every ESL connection drops now, without a notice (network loss, FreeSWITCH killed).</summary>
    public void Drop() => _esl.DropConnections();

    /// <summary>New ESL connections fail for a while: port closed (FreeSWITCH down), or with
    /// <paramref name="aclReject"/> accepted, answered <c>text/rude-rejection</c> and closed (ACL).</summary>
    public void Refuse(TimeSpan duration, bool aclReject = false) => _esl.RefuseConnections(duration, aclReject);

    /// <summary>
    /// FreeSWITCH restarts: listeners get "The system is being shut down." after their queued events, the port
    /// stays closed for <paramref name="downFor"/>, and the switch comes back empty with a new Core-UUID.
    /// </summary>
    public void Restart(TimeSpan downFor)
    {
        _esl.ShutdownConnections();
        _esl.RefuseConnections(downFor);
        _switch.Restart();
    }

    /// <summary>Commands are read but answered only after <paramref name="duration"/> (a wedged switch).</summary>
    public void Stall(TimeSpan duration) => _esl.Stall(duration);

    /// <summary>A malformed frame goes to every connection.</summary>
    public void Garbage() => _esl.SendGarbage();
}
