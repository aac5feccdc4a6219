using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// The in-process engine's log, kept in memory: warnings and errors with their exceptions (type, message, stack),
/// so a test that fails, or an engine that logged an error, reports what the engine said.
/// </summary>
public sealed class EngineLogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Line)> _entries = new();

    public IReadOnlyList<string> Errors => _entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Line).ToList();

    public string Tail(int entries = 20)
    {
        var all = _entries.ToArray();
        return all.Length == 0 ? "(the engine logged nothing at warning level or above)" : string.Join(Environment.NewLine, all.TakeLast(entries).Select(e => e.Line));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(EngineLogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string line = $"{logLevel}: {category}: {formatter(state, exception)}" + (exception is null ? "" : Environment.NewLine + exception);
            capture._entries.Enqueue((logLevel, line));
        }
    }
}
