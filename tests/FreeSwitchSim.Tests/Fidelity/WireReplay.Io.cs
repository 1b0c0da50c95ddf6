using FreeSwitchSim.Core;
using CallControl.Esl.Protocol;

namespace FreeSwitchSim.Tests.Fidelity;

internal sealed partial class WireReplay
{
    private async Task ReadAllAsync()
    {
        await using var decoder = EslStreamDecoder.Create(_stream, leaveOpen: true);
        while (await decoder.ReadFrameAsync() is { } frame)
        {
            var wire = WireFrame.From(frame);
            lock (_received)
            {
                _received.Add(wire);
            }
        }
    }

    private void OnFired(SimEvent e)
    {
        var ev = new WireEvent(e.Name, e.Subclass, e.UniqueId, e.Headers.ToList(), new HashSet<string>());
        if (!SessionView.Modelled(ev))
        {
            return;
        }
        lock (_fired)
        {
            _fired.Add(ev);
            if (ev.UniqueId is { } id && !_simRoles.ContainsKey(id))
            {
                _simRoles[id] = _simRoles.Count;
            }
        }
    }

    /// <summary>Events of <paramref name="type"/> fired so far on channel <paramref name="role"/>, or without a
    /// channel (heartbeat tasks aside) when the role is null.</summary>
    private int FiredCount(int? role, string type)
    {
        lock (_fired)
        {
            return role is null
                ? _fired.Count(e => e.UniqueId is null && e.Type == type && !SessionView.IsHeartbeatTask(e))
                : _fired.Count(e => e.UniqueId is { } id && _simRoles[id] == role && e.Type == type);
        }
    }

    private int Count(Func<WireFrame, bool> match)
    {
        lock (_received)
        {
            return _received.Count(match);
        }
    }

    private static async Task<bool> PollAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(2);
        }
        return true;
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        if (!await PollAsync(condition, WaitLimit))
        {
            Assert.Fail($"gave up waiting for {what}");
        }
    }
}
