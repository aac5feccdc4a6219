namespace Cassette.LocalEngine.Queue;

/// <summary>
/// When a request's server time (--ProcessingSeconds, --ProcessingSecondsPerAudioSecond) waits, and when it logs a
/// progress line: one per whole interval passed before the end, whatever the timer does.
/// </summary>
/// <remarks>
/// Issue 18: the wait used to be "the time left, at most one interval", then a line if time was still left. A timer
/// fires by the millisecond tick, so it often ended a fraction of a millisecond early; the time left, under 1 ms, was
/// truncated by Task.Delay to 0, which does not wait at all, and the loop spun until the clock caught up, logging a
/// "Generating: 99 %." line each turn: about 1 request in 20 ended with over a thousand such lines (130 KB on every
/// status with logs, a thousand wake-ups of each status stream, which copies every line on each).
/// </remarks>
public sealed class ServerTimeSchedule(TimeSpan serverTime, TimeSpan lineInterval)
{
    /// <summary>Task.Delay counts whole milliseconds and truncates: a shorter wait would not wait at all.</summary>
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(1);
    private int _lines;

    /// <summary>How long to wait from <paramref name="elapsed"/>: until the next line is due or the end, whichever comes first; null once the server time is over.</summary>
    public TimeSpan? WaitFrom(TimeSpan elapsed)
    {
        if (elapsed >= serverTime) return null;
        var untilNextLine = lineInterval * (_lines + 1) - elapsed;
        var wait = serverTime - elapsed < untilNextLine ? serverTime - elapsed : untilNextLine;
        return TimeSpan.FromMilliseconds(Math.Max(ShortestWait.TotalMilliseconds, Math.Ceiling(wait.TotalMilliseconds)));
    }

    /// <summary>The progress line due at <paramref name="elapsed"/>, or null: only once per whole interval passed, never after the end.</summary>
    public string? LineAt(TimeSpan elapsed)
    {
        if (elapsed >= serverTime || elapsed < lineInterval * (_lines + 1)) return null;
        _lines = (int)(elapsed / lineInterval);
        return $"Generating: {Math.Min(99, (int)(100 * elapsed / serverTime))} %.";
    }
}
