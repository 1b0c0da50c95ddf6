using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CallControl.Tests.Support;

/// <summary>
/// Every in-process service host's warnings and errors, with their exceptions, appended to one file
/// (<c>.local/test-logs/service-hosts.log</c> at the repository root, or <c>CALLCONTROL_TEST_LOG</c>), so a failure in a
/// full run (CI) can be read afterwards. The console logger's output is lost to the test runner.
/// </summary>
public sealed class TestLogFile : ILoggerProvider
{
    private static readonly Lazy<StreamWriter> Writer = new(Open);
    private static readonly Lock Gate = new();
    private readonly string _host;

    public TestLogFile(string host) => _host = host;

    public static string Path { get; } = Environment.GetEnvironmentVariable("CALLCONTROL_TEST_LOG") is { Length: > 0 } p
        ? p
        : System.IO.Path.Combine(RepoRoot(), ".local", "test-logs", "service-hosts.log");

    public ILogger CreateLogger(string categoryName) => new Logger(_host, categoryName);

    public void Dispose()
    {
    }

    private static StreamWriter Open()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        return new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CallControl.sln")))
            {
                return dir.FullName;
            }
        }

        return System.IO.Path.GetTempPath();
    }

    private sealed class Logger(string host, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} [{host}] {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            lock (Gate)
            {
                Writer.Value.WriteLine(line);
            }
        }
    }
}
