using System.Runtime.ExceptionServices;

namespace Cassette.Synth.Rendering;

/// <summary>
/// Runs the work items of one pipeline step on the calling thread and, when the thread pool has a thread free, one
/// helper, and returns when every item of the step has finished; step after step, with nothing allocated per step.
/// The true-peak limiter uses it for its groups of blocks (about 480 steps per 180 s track, two passes), where
/// Parallel.For left about 4 KB per call; its wall time is the same. The render pipeline (about 970 shorter steps)
/// keeps Parallel.For: there this runner made renders about 10 % slower (bench/Render/README.md, session 15).
/// Items claim indices from one counter tagged with the step's number, so a helper that starts late, after its step
/// ended, can only claim items of the step that is current then. An item's exception is rethrown by
/// <see cref="Run"/> as it was (the rest of that step's items are skipped).
/// </summary>
internal sealed class StepRunner : IThreadPoolWorkItem
{
    private readonly Action<int, int> _item;
    private readonly int _items;
    // The current step in the high 32 bits, the next unclaimed item in the low 32 (none before the first step).
    private long _claim = (-1L << 32) | int.MaxValue;
    private int _unfinished;
    private readonly ManualResetEventSlim _finished = new(false);
    private Exception? _error;

    /// <summary><paramref name="item"/>(step, index) is called once for each index in [0, <paramref name="items"/>) of every step.</summary>
    public StepRunner(int items, Action<int, int> item)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(items);
        _items = items;
        _item = item;
    }

    /// <summary>Runs every item of <paramref name="step"/> (steps must be run in increasing order, from 0).</summary>
    public void Run(int step)
    {
        _finished.Reset();
        Volatile.Write(ref _unfinished, _items);
        // Publishing the claim counter starts the step: everything written before it is seen by whoever claims an item.
        Interlocked.Exchange(ref _claim, (long)step << 32);
        // The same object is queued every step, so nothing is allocated; if no pool thread takes it in time, this
        // thread runs all the items itself and a late helper finds nothing left to claim.
        if (_items > 1) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        Work();
        _finished.Wait();
        if (_error is { } error) ExceptionDispatchInfo.Throw(error);
    }

    void IThreadPoolWorkItem.Execute() => Work();

    /// <summary>Claims and runs items of the current step until none is left.</summary>
    private void Work()
    {
        while (true)
        {
            long claim = Interlocked.Increment(ref _claim) - 1;
            int index = (int)(claim & 0xFFFFFFFF);
            if (index >= _items || index < 0) return;
            try
            {
                if (Volatile.Read(ref _error) is null) _item((int)(claim >> 32), index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            if (Interlocked.Decrement(ref _unfinished) == 0) _finished.Set();
        }
    }
}
