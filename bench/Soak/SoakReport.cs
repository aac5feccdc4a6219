using System.Collections.Concurrent;

namespace Cassette.Bench.Soak;

/// <summary>Counts of what happened, and every failure with the case that replays it, printed as it happens.</summary>
public sealed class SoakReport
{
    private int _completed, _cancelled, _lost, _failed;
    private readonly ConcurrentQueue<string> _failures = new();

    public int CompletedCount => _completed;
    public int CancelledCount => _cancelled;
    public int LostCount => _lost;
    public int FailedCount => _failed;
    public int Total => _completed + _cancelled + _lost + _failed;
    public IEnumerable<string> Failures => _failures;

    public void Completed() => Progress(Interlocked.Increment(ref _completed));

    public void Cancelled() => Interlocked.Increment(ref _cancelled);

    /// <summary>A request that a deliberate engine shutdown took with it: expected, not a failure.</summary>
    public void Lost() => Interlocked.Increment(ref _lost);

    public void Fail(SoakCase soakCase, string what)
    {
        Interlocked.Increment(ref _failed);
        string line = $"FAIL {soakCase}: {what}";
        _failures.Enqueue(line);
        Console.Error.WriteLine(line);
    }

    /// <summary>A failure the engine logged with no request the soak can tie it to.</summary>
    public void Fail(string what)
    {
        Interlocked.Increment(ref _failed);
        string line = $"FAIL {what}";
        _failures.Enqueue(line);
        Console.Error.WriteLine(line);
    }

    private static void Progress(int completed)
    {
        if (completed % 100 == 0) Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {completed} renders completed");
    }

    public string Summary(TimeSpan elapsed) =>
        $"{Total} renders in {elapsed.TotalSeconds:F0} s: {_completed} completed, {_cancelled} cancelled, " +
        $"{_lost} lost to a deliberate shutdown, {_failed} failed";
}
