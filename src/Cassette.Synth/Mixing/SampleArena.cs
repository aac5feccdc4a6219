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
    private const int PooledArenas = 12;
    private static readonly ConcurrentBag<SampleArena> Pool = [];
    private readonly List<float[]> _slabs = [];
    private int _slab, _offset;

    public static SampleArena Rent()
    {
        if (!Pool.TryTake(out var arena)) arena = new SampleArena();
        arena._slab = 0;
        arena._offset = 0;
        return arena;
    }

    public static void Return(SampleArena arena)
    {
        if (Pool.Count < PooledArenas) Pool.Add(arena);
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
