using System.Collections.Concurrent;

namespace Cassette.Synth.Mixing;

/// <summary>
/// Memory for one part's note cache: 1 MB slabs handed out front to back and reused by later renders, so a server
/// rendering track after track keeps a steady footprint instead of a heap of large garbage arrays. An arena is
/// owned by one part at a time (parts render on different threads); finished renders return theirs to a small pool.
/// </summary>
internal sealed class SampleArena
{
    private const int SlabSize = 1 << 18; // floats: 1 MB
    private const int RetainedSlabs = 48; // at most 48 MB kept between renders: about what one long render needs
    private static readonly ConcurrentBag<SampleArena> Pool = [];
    private static int _retainedSlabs;
    private readonly List<float[]> _slabs = [];
    private int _slab, _offset;

    public static SampleArena Rent()
    {
        if (Pool.TryTake(out var arena)) Interlocked.Add(ref _retainedSlabs, -arena._slabs.Count);
        else arena = new SampleArena();
        arena._slab = 0;
        arena._offset = 0;
        return arena;
    }

    /// <summary>Keeps the arena for a later render while the pool holds less than its budget; else lets it go.</summary>
    public static void Return(SampleArena arena)
    {
        if (Interlocked.Add(ref _retainedSlabs, arena._slabs.Count) <= RetainedSlabs) Pool.Add(arena);
        else Interlocked.Add(ref _retainedSlabs, -arena._slabs.Count);
    }

    /// <summary>A zeroed run of <paramref name="length"/> floats.</summary>
    public ArraySegment<float> Take(int length)
    {
        if (length > SlabSize) return new float[length];
        if (_slab < _slabs.Count && _offset + length > SlabSize)
        {
            _slab++;
            _offset = 0;
        }
        if (_slab == _slabs.Count) _slabs.Add(new float[SlabSize]);
        var segment = new ArraySegment<float>(_slabs[_slab], _offset, length);
        _offset += length;
        segment.AsSpan().Clear(); // slabs come back from earlier renders dirty
        return segment;
    }
}
