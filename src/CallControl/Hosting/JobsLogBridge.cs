using System.Collections.Concurrent;
using HangfireLog = Hangfire.Logging;

namespace CallControl.Hosting;

/// <summary>
/// Hangfire's log provider. Hangfire holds one provider for the whole process (LibLog's static), and
/// <c>AddHangfire</c> points it at the <see cref="ILoggerFactory"/> of whichever host configured it last. Hangfire
/// asks it for a logger in constructors (every new job client builds one), and a disposed factory throws there: with
/// two hosts in a process (the tests, the load bench), the first host's enqueues failed with ObjectDisposedException
/// once the second had stopped. This provider outlives the hosts: each host registers its factory while it runs,
/// and a log line goes to the most recently registered factory that is still registered, or nowhere. With one host
/// per process (production) that is simply the host's logging.
/// </summary>
internal sealed class JobsLogBridge : HangfireLog.ILogProvider
{
    public static readonly JobsLogBridge Instance = new();

    private readonly Lock _gate = new();
    private ILoggerFactory[] _factories = [];
    private readonly ConcurrentDictionary<(ILoggerFactory Factory, string Name), ILogger> _loggers = new();

    private JobsLogBridge()
    {
    }

    /// <summary>Routes Hangfire's lines to <paramref name="factory"/> until the returned handle is disposed.</summary>
    public IDisposable Register(ILoggerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (_gate)
        {
            _factories = [.. _factories.Where(f => f != factory), factory];
        }

        return new Registration(this, factory);
    }

    public HangfireLog.ILog GetLogger(string name) => new BridgedLog(this, name);

    private void Unregister(ILoggerFactory factory)
    {
        lock (_gate)
        {
            _factories = [.. _factories.Where(f => f != factory)];
        }

        foreach (var key in _loggers.Keys.Where(k => k.Factory == factory))
        {
            _loggers.TryRemove(key, out _);
        }
    }

    private ILogger? Target(string name)
    {
        var factories = Volatile.Read(ref _factories);
        for (var i = factories.Length - 1; i >= 0; i--)
        {
            var factory = factories[i];
            try
            {
                return _loggers.GetOrAdd((factory, name), static key => key.Factory.CreateLogger(key.Name));
            }
            catch (ObjectDisposedException)
            {
                // Stopped between the read and now: try an older one.
            }
        }

        return null;
    }

    private static LogLevel ToLevel(HangfireLog.LogLevel level) => level switch
    {
        HangfireLog.LogLevel.Trace => LogLevel.Trace,
        HangfireLog.LogLevel.Debug => LogLevel.Debug,
        HangfireLog.LogLevel.Info => LogLevel.Information,
        HangfireLog.LogLevel.Warn => LogLevel.Warning,
        HangfireLog.LogLevel.Error => LogLevel.Error,
        HangfireLog.LogLevel.Fatal => LogLevel.Critical,
        _ => LogLevel.None,
    };

    private sealed class BridgedLog(JobsLogBridge bridge, string name) : HangfireLog.ILog
    {
        public bool Log(HangfireLog.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var target = bridge.Target(name);
            var level = ToLevel(logLevel);
            if (target is null)
            {
                return false;
            }

            // A null message is Hangfire asking whether the level is on.
            if (messageFunc is null)
            {
                return target.IsEnabled(level);
            }

            if (target.IsEnabled(level))
            {
                target.Log(level, default, messageFunc(), exception, static (message, _) => message);
            }

            return true;
        }
    }

    private sealed class Registration(JobsLogBridge bridge, ILoggerFactory factory) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                bridge.Unregister(factory);
            }
        }
    }
}
