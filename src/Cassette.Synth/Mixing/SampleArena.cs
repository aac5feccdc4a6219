using System.Collections.Concurrent;

namespace Cassette.Synth.Mixing;

/// <summary>
/// Memory for the note caches of one render, carved out of 2 MB slabs that every render draws from one shared pool
/// and gives back when it ends. A server rendering track after track therefore keeps about one render's worth of
/// slabs (up to <see cref="RetainedSlabs"/>) instead of a heap of large garbage arrays.
/// All parts of a render take from the same slabs (parts render on different threads, so taking and trimming are
/// locked): when each part kept slabs of its own, every part's last slab was partly empty until the render ended,
/// about 5 MB for the busiest prompt. Which part's run lands where then depends on the thread scheduling, but no
/// sample does: a run is zeroed when taken and read only by the entry it was given to.
/// </summary>
internal sealed class SampleArena
{
    // 2 MB: three of the largest entries (3 s of mono, 517 KB) fit with little left over; at 1 MB only one did,
    // and half of every drum part's slabs was wasted.
    private const int SlabSize = 1 << 19;
    private const int RetainedSlabs = 40; // at most 80 MB kept between renders: more than two long renders need
    private static readonly ConcurrentBag<float[]> Pool = [];
    private static int _pooled;
    private static int _created;
    private readonly object _gate = new();
    private readonly List<Slab> _slabs = [];

    /// <summary>
    /// A slab, how much of it is given out, and who may take from its tail: anyone, or only the holder of a run that
    /// is to be trimmed right after it is rendered (another part's run behind it would keep it from being trimmed).
    /// </summary>
    private sealed class Slab(float[] samples)
    {
        public float[] Samples { get; } = samples;
        public int Used;
        public object? Holder;
    }

    public static SampleArena Rent() => new();

    /// <summary>Slabs allocated since the process started (the benchmark's digest prints it: each one is 2 MB that stays).</summary>
    public static int SlabsCreated => Volatile.Read(ref _created);

    /// <summary>Slabs this arena has drawn (for tests and the benchmark: how much one render's caches cost).</summary>
    public int SlabCount
    {
        get
        {
            lock (_gate) return _slabs.Count;
        }
    }

    /// <summary>Gives the arena's slabs back to the pool (while it holds less than its budget); the arena is spent.</summary>
    public static void Return(SampleArena arena)
    {
        lock (arena._gate)
        {
            foreach (var slab in arena._slabs)
                if (Interlocked.Increment(ref _pooled) <= RetainedSlabs) Pool.Add(slab.Samples);
                else Interlocked.Decrement(ref _pooled);
            arena._slabs.Clear();
        }
    }

    /// <summary>
    /// A zeroed run of <paramref name="length"/> floats, in the first slab with room for it. With a
    /// <paramref name="holder"/>, no one else takes from that slab until <see cref="Release"/>, so the run stays the
    /// latest in its slab and <see cref="Trim"/> can give its tail back.
    /// </summary>
    public ArraySegment<float> Take(int length, object? holder = null)
    {
        if (length > SlabSize) return new float[length];
        ArraySegment<float> segment;
        lock (_gate)
        {
            Slab? slab = null;
            foreach (var candidate in _slabs)
                if ((candidate.Holder is null || candidate.Holder == holder) && candidate.Used + length <= SlabSize)
                {
                    slab = candidate;
                    break;
                }
            slab ??= NewSlab();
            segment = new ArraySegment<float>(slab.Samples, slab.Used, length);
            slab.Used += length;
            if (holder is not null) slab.Holder = holder;
        }
        segment.AsSpan().Clear(); // slabs come back from earlier renders dirty
        return segment;
    }

    /// <summary>Lets everyone take from the slabs <paramref name="holder"/> held again.</summary>
    public void Release(object holder)
    {
        lock (_gate)
            foreach (var slab in _slabs)
                if (slab.Holder == holder) slab.Holder = null;
    }

    /// <summary>
    /// Shortens <paramref name="segment"/>, the latest run taken from its slab, to <paramref name="length"/> floats and
    /// gives the rest back, so a run sized for the most a sound may need costs only what it used. A run that is not
    /// the latest in its slab keeps its length.
    /// </summary>
    public ArraySegment<float> Trim(ArraySegment<float> segment, int length)
    {
        if (length >= segment.Count) return segment;
        lock (_gate)
        {
            var slab = _slabs.Find(s => s.Samples == segment.Array);
            if (slab is null || slab.Used != segment.Offset + segment.Count) return segment;
            slab.Used = segment.Offset + length;
        }
        return segment[..length];
    }

    private Slab NewSlab()
    {
        if (Pool.TryTake(out var pooled)) Interlocked.Decrement(ref _pooled);
        else Interlocked.Increment(ref _created);
        var slab = new Slab(pooled ?? new float[SlabSize]);
        _slabs.Add(slab);
        return slab;
    }
}
