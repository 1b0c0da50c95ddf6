using Microsoft.Extensions.Logging;

namespace CallControl.Bench.CdrQuery;

/// <summary>
/// Npgsql reports every NOTICE a connection receives as a Debug log "Received notice: ..." on its connection logger;
/// this logger passes those texts on. (A connection's Notice event would not do: CallQuery opens its own connections.)
/// </summary>
internal sealed class NoticeLoggerFactory(Action<string> onNotice) : ILoggerFactory, ILogger
{
    private const string Prefix = "Received notice: ";

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var text = formatter(state, exception);
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            onNotice(text[Prefix.Length..]);
        }
    }
}
