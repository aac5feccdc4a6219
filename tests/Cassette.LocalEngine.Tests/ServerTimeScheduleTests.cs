using Cassette.LocalEngine.Queue;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// Issue 18: the server time's waits and progress lines, on a clock the test moves. Timers fire by the millisecond tick,
/// so a wait may end a fraction of a millisecond early, exactly, or (on a loaded machine) late.
/// </summary>
public class ServerTimeScheduleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(0.4, 0)] // the tick clock runs 0.4 ms ahead of the stopwatch: timers end up to 0.4 ms early, the case that spun
    [InlineData(0.999, 0)]
    [InlineData(0, 0)]
    [InlineData(0.5, 3)] // late, as on a loaded machine
    [InlineData(0, 1500)] // very late: a line per whole second passed, not one per wait
    public void AServerTimeOfThreeAndAHalfSecondsLogsAtMostThreeLinesAndEveryWaitWaits(double tickPhaseMs, double lateMs)
    {
        var schedule = new ServerTimeSchedule(TimeSpan.FromSeconds(3.5), Second);
        var elapsed = TimeSpan.Zero;
        var lines = new List<string>();
        int waits = 0;
        while (schedule.WaitFrom(elapsed) is { } wait)
        {
            Assert.True(wait >= TimeSpan.FromMilliseconds(1), $"a wait of {wait.TotalMilliseconds} ms is truncated to none by Task.Delay");
            Assert.True(++waits < 100, "the schedule keeps asking for waits");
            elapsed = TimerEnd(elapsed, wait, tickPhaseMs, lateMs);
            if (schedule.LineAt(elapsed) is { } line) lines.Add(line);
        }
        Assert.InRange(lines.Count, lateMs >= 1000 ? 1 : 3, 3);
        Assert.All(lines, line => Assert.Matches(@"^Generating: \d{1,2} %\.$", line));
    }

    /// <summary>
    /// When a Task.Delay started at <paramref name="elapsed"/> ends, by the stopwatch: it counts whole milliseconds
    /// (truncated) on a millisecond tick whose boundaries are <paramref name="tickPhaseMs"/> off the stopwatch's, so it
    /// may end up to a tick early; then the scheduler adds <paramref name="lateMs"/>.
    /// </summary>
    private static TimeSpan TimerEnd(TimeSpan elapsed, TimeSpan wait, double tickPhaseMs, double lateMs)
    {
        double dueTick = Math.Floor(elapsed.TotalMilliseconds + tickPhaseMs) + Math.Floor(wait.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Max(elapsed.TotalMilliseconds, dueTick - tickPhaseMs) + lateMs);
    }

    [Fact]
    public void AWaitThatEndsAFractionOfAMillisecondBeforeTheEndStillWaitsAndLogsNothing()
    {
        var schedule = new ServerTimeSchedule(Second, Second);
        var almost = Second - TimeSpan.FromMilliseconds(0.3);
        Assert.Equal(TimeSpan.FromMilliseconds(1), schedule.WaitFrom(almost));
        Assert.Null(schedule.LineAt(almost));
        Assert.Null(schedule.WaitFrom(Second));
        Assert.Null(schedule.LineAt(Second));
    }

    [Fact]
    public void NoServerTimeMeansNoWait()
    {
        Assert.Null(new ServerTimeSchedule(TimeSpan.Zero, Second).WaitFrom(TimeSpan.Zero));
    }
}
