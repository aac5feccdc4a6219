using System.Collections.Concurrent;

namespace Cassette.Synth.Mixing;

/// <summary>
/// Memory for one part's note cache, carved out of 2 MB slabs that every part of every render draws from one
/// shared pool and gives back when its render ends. A server rendering track after track therefore keeps about one
/// render's worth of slabs (up to <see cref="RetainedSlabs"/>) instead of a heap of large garbage arrays: when each
/// part kept whole arenas, a part that needed little could be handed a big arena while a busy one grew a new one,
/// and the surplus went to the large-object heap as garbage (the render benchmark's peak grew by about 60 MB).
/// An arena is owned by one part at a time (parts render on different threads); only the pool is shared.
/// </summary>
internal sealed class SampleArena
{
    // 2 MB: three of the largest entries (3 s of mono, 517 KB) fit with little left over; at 1 MB only one did,
    // and half of every drum part's slabs was wasted.
    private const int SlabSize = 1 << 19;
    private const int RetainedSlabs = 40; // at most 80 MB kept between renders: more than two long renders need
    private static readonly ConcurrentBag<float[]> Pool = [];
    private static int _pooled;
    private readonly List<float[]> _slabs = [];
    private readonly List<int> _used = [];

    public static SampleArena Rent() => new();

    /// <summary>Gives the arena's slabs back to the pool (while it holds less than its budget); the arena is spent.</summary>
    public static void Return(SampleArena arena)
    {
        foreach (var slab in arena._slabs)
            if (Interlocked.Increment(ref _pooled) <= RetainedSlabs) Pool.Add(slab);
            else Interlocked.Decrement(ref _pooled);
        arena._slabs.Clear();
        arena._used.Clear();
    }

    /// <summary>A zeroed run of <paramref name="length"/> floats, in the first slab with room for it.</summary>
    public ArraySegment<float> Take(int length)
    {
        if (length > SlabSize) return new float[length];
        int slab = _used.FindIndex(used => used + length <= SlabSize);
        if (slab < 0)
        {
            if (Pool.TryTake(out var pooled)) Interlocked.Decrement(ref _pooled);
            _slabs.Add(pooled ?? new float[SlabSize]);
            _used.Add(0);
            slab = _slabs.Count - 1;
        }
        var segment = new ArraySegment<float>(_slabs[slab], _used[slab], length);
        _used[slab] += length;
        segment.AsSpan().Clear(); // slabs come back from earlier renders dirty
        return segment;
    }
}
