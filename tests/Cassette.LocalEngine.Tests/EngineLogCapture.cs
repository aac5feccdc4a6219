using Microsoft.Extensions.Logging;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// The in-process engine's log, kept in memory: warnings and errors with their exceptions (type, message, stack),
/// so a test that fails, or an engine that logged an error, reports what the engine said.
/// </summary>
public sealed class EngineLogCapture : ILoggerProvider
{
    private readonly List<(LogLevel Level, bool Engine, string Line)> _entries = [];

    /// <summary>
    /// Errors the engine's own code logged (a runner failure, say). Kestrel's own errors are left out: the fault
    /// rules provoke some on purpose (a truncated file answer is a Content-Length mismatch to Kestrel).
    /// </summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_entries) return _entries.Where(IsEngineError).Select(e => e.Line).ToList(); }
    }

    private static bool IsEngineError((LogLevel Level, bool Engine, string Line) entry) => entry.Engine && entry.Level >= LogLevel.Error;

    /// <summary>The errors logged so far, removed: for a test that provokes one on purpose.</summary>
    public IReadOnlyList<string> TakeErrors()
    {
        lock (_entries)
        {
            var errors = Errors;
            _entries.RemoveAll(IsEngineError);
            return errors;
        }
    }

    public string Tail(int entries = 20)
    {
        (LogLevel Level, bool Engine, string Line)[] all;
        lock (_entries) all = _entries.ToArray();
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
            bool engine = category.StartsWith("Cassette.", StringComparison.Ordinal);
            lock (capture._entries) capture._entries.Add((logLevel, engine, line));
        }
    }
}
