using Cassette.Synth.Composition;
using Cassette.Synth.Instruments;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Mixing;

/// <summary>
/// A part's sampler: the first note of each pitch and velocity layer is rendered once (centred, never released) and
/// every later one replays it, with its own level, pan and release applied on playback. A song repeats the same
/// few dozen notes hundreds of times, so this makes drums, basses, keys and plucks an order of magnitude cheaper.
/// Entries grow on demand up to <see cref="MaxFrames"/>; longer notes are played by live voices.
/// </summary>
internal sealed class NoteCache(InstrumentKind instrument, float tonicHz, ulong seed)
{
    // A pool of its own with a bounded number of arrays per size: the shared pool keeps arrays per core and per
    // thread, which across many renders holds on to far more memory than one render needs.
    private static readonly System.Buffers.ArrayPool<float> Pool = System.Buffers.ArrayPool<float>.Create(MaxFrames * 2, 24);
    public const int MaxFrames = 3 * 44100;
    public const int Layers = 4;
    private const int Chunk = 4096;
    private readonly Dictionary<(int Cents, int Layer), Entry> _entries = [];

    /// <summary>One cached note: the voice that renders it, and what it has rendered so far.</summary>
    internal sealed class Entry(Voice voice)
    {
        public Voice Voice { get; } = voice;
        public float[] Left = Pool.Rent(Chunk);
        public float[]? Right = Pool.Rent(Chunk);
        public int Rendered;
        public bool Finished;

        /// <summary>Frames both channels can hold: a pool may hand out arrays larger than asked, and of different sizes.</summary>
        public int Capacity => Math.Min(MaxFrames, Right is null ? Left.Length : Math.Min(Left.Length, Right.Length));
    }

    /// <summary>The cached rendering of a pitch at a velocity layer (1..<see cref="Layers"/>).</summary>
    public Entry Get(float pitch, int layer)
    {
        var key = ((int)MathF.Round(pitch * 100f), layer);
        if (!_entries.TryGetValue(key, out var entry))
        {
            ulong noteSeed = StableHash.Mix(seed, (ulong)(key.Item1 * 8 + layer));
            var note = new NoteEvent(0, int.MaxValue, pitch, layer / (float)Layers);
            entry = new Entry(VoiceFactory.Create(instrument, note, 0f, tonicHz, noteSeed));
            _entries[key] = entry;
            Extend(entry, Chunk);
        }
        return entry;
    }

    /// <summary>Hands every buffer back to the pool: the next render reuses them instead of growing the heap.</summary>
    public void Release()
    {
        foreach (var entry in _entries.Values)
        {
            Pool.Return(entry.Left);
            if (entry.Right is not null) Pool.Return(entry.Right);
        }
        _entries.Clear();
    }

    private static float[] Grow(float[] array, int used, int size)
    {
        var bigger = Pool.Rent(size);
        array.AsSpan(0, used).CopyTo(bigger);
        Pool.Return(array);
        return bigger;
    }

    /// <summary>Renders the entry up to at least <paramref name="frames"/> frames (or until it has died away).</summary>
    public static void Extend(Entry entry, int frames)
    {
        frames = Math.Min(frames, MaxFrames);
        while (!entry.Finished && entry.Rendered < frames)
        {
            if (entry.Rendered + Chunk > entry.Capacity && entry.Capacity < MaxFrames)
            {
                int size = Math.Min(MaxFrames, entry.Capacity * 2);
                if (entry.Left.Length < size) entry.Left = Grow(entry.Left, entry.Rendered, size);
                if (entry.Right is not null && entry.Right.Length < size) entry.Right = Grow(entry.Right, entry.Rendered, size);
            }
            int count = Math.Min(Chunk, entry.Capacity - entry.Rendered);
            if (count <= 0) break;
            // Voices add into their buffers, and pooled arrays come back dirty: clear before rendering.
            var left = entry.Left.AsSpan(entry.Rendered, count);
            left.Clear();
            Span<float> right = entry.Right is null ? [] : entry.Right.AsSpan(entry.Rendered, count);
            right.Clear();
            if (entry.Right is null)
            {
                var scratch = new float[count];
                entry.Finished = !entry.Voice.Render(left, scratch);
            }
            else
            {
                entry.Finished = !entry.Voice.Render(left, right);
                // A centred voice is the same in both channels: keep one, half the memory.
                if (entry.Rendered == 0 && left.SequenceEqual(right))
                {
                    Pool.Return(entry.Right);
                    entry.Right = null;
                }
            }
            entry.Rendered += count;
            if (entry.Rendered >= MaxFrames) entry.Finished = true;
        }
    }
}
