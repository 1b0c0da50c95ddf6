using System.Net.Sockets;
using System.Text;

namespace FreeSwitchSim.Esl;

/// <summary>Misbehaviour on demand, for the client's failure paths.</summary>
public sealed partial class EslServer
{
    private ITimer? _refuseTimer;

    /// <summary>A frame no FreeSWITCH would send: a header line without a colon and a negative Content-Length.</summary>
    internal static readonly byte[] GarbageFrame = Encoding.ASCII.GetBytes("garbage-without-colon\nContent-Length: -7\n\n");

    /// <summary>Every ESL connection vanishes at once, without a notice (network or process death).</summary>
    public void DropConnections()
    {
        foreach (var c in _connections.Keys)
        {
            c.Drop();
        }
    }

    /// <summary>
    /// New connections fail for <paramref name="duration"/>. By default the port is closed (connect is refused,
    /// as when FreeSWITCH is down); with <paramref name="aclReject"/> connections are accepted and answered with
    /// <c>text/rude-rejection</c> then closed, as when the inbound ACL rejects the client.
    /// </summary>
    public void RefuseConnections(TimeSpan duration, bool aclReject = false)
    {
        lock (_listenLock)
        {
            _refuseTimer?.Dispose();
            if (aclReject)
            {
                _rudeRejection = true;
            }
            else
            {
                _listener?.Stop();
                _listener = null;
            }
            _refuseTimer = Core.Clock.CreateTimer(_ => AcceptAgain(), null, duration, Timeout.InfiniteTimeSpan);
        }
        Log.Refusing(Logger, duration.TotalSeconds, aclReject);
    }

    /// <summary>Commands are still read but answered (and events written) only once the stall is over.</summary>
    public void Stall(TimeSpan duration) => Faults.StallUntil = Core.Clock.GetUtcNow() + duration;

    /// <summary>A malformed frame is written to every connection, between its frames.</summary>
    public void SendGarbage()
    {
        foreach (var c in _connections.Keys)
        {
            c.SendGarbage(GarbageFrame);
        }
    }

    /// <summary>Module shutdown: every listener gets "The system is being shut down." after its queued events.</summary>
    public void ShutdownConnections()
    {
        foreach (var c in _connections.Keys)
        {
            c.Shutdown();
        }
    }

    private void AcceptAgain()
    {
        lock (_listenLock)
        {
            _rudeRejection = false;
            if (_listener is null && !_stopping.IsCancellationRequested)
            {
                try
                {
                    Listen(Port);
                }
                catch (SocketException ex)
                {
                    // Runs on a timer thread: never let it take the process down; the port stays closed.
                    Log.RelistenFailed(Logger, Port, ex);
                }
            }
        }
    }
}
