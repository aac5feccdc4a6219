using Cassette.Synth.Composition;
using Cassette.Synth.Instruments;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Mixing;

/// <summary>
/// A part's sampler: the first note of each pitch and velocity layer is rendered once (centred, never released) and
/// every later one replays it, with its own level, pan and release applied on playback. A song repeats the same
/// few dozen notes hundreds of times, so this makes drums, basses, keys and plucks an order of magnitude cheaper.
/// An entry is sized for the longest note it will replay plus its release (drums for the most they may ring), up to
/// <see cref="MaxFrames"/>, in memory from the render's <see cref="SampleArena"/> (shared by all its parts); longer
/// notes are played live. A cache is used by one thread at a time.
/// </summary>
internal sealed class NoteCache(InstrumentKind instrument, float tonicHz, ulong seed, SampleArena arena)
{
    public const int MaxFrames = 3 * 44100;
    public const int Layers = 2;
    private const int Chunk = 4096;
    private readonly Dictionary<(int Cents, int Layer), Entry> _entries = [];

    /// <summary>One cached note: the voice that renders it, and what it has rendered so far.</summary>
    internal sealed class Entry(Voice voice, ArraySegment<float> left, SampleArena arena)
    {
        public Voice Voice { get; } = voice;
        public SampleArena Arena { get; } = arena;
        // While a drum hit renders to its end: its runs' slabs are held for it, so both can be trimmed afterwards.
        public object? Holder;
        public ArraySegment<float> Left = left;
        // Empty while the voice renders the same in both channels (centred voices do): half the memory.
        public ArraySegment<float> Right;
        public bool Stereo => Right.Count > 0;
        public int Rendered;
        public bool Finished;

        // The most it may render; once finished it can be shorter (the unused tail went back to the arena).
        public int Capacity => Left.Count;
    }

    /// <summary>The key a note is cached under: its pitch in cents and its velocity layer (1..<see cref="Layers"/>).</summary>
    public static (int Cents, int Layer) Key(float pitch, int layer) => ((int)MathF.Round(pitch * 100f), layer);

    /// <summary>
    /// The cached rendering of a pitch at a velocity layer; <paramref name="longestNote"/> is the longest note (in
    /// frames, before its release) that will replay it, or 0 for sounds that play out on their own.
    /// </summary>
    public Entry Get(float pitch, int layer, int longestNote)
    {
        var key = Key(pitch, layer);
        if (!_entries.TryGetValue(key, out var entry))
        {
            ulong noteSeed = StableHash.Mix(seed, (ulong)(key.Cents * 8 + layer));
            var note = new NoteEvent(0, int.MaxValue, pitch, layer / (float)Layers);
            var voice = VoiceFactory.Create(instrument, note, 0f, tonicHz, noteSeed);
            // Sounds that play out on their own (drums) get the most they may need; notes, their longest plus release.
            int capacity = longestNote <= 0 ? MaxFrames : Math.Min(MaxFrames, longestNote + ReleaseFrames(voice) + Chunk);
            // A drum hit is rendered to its end at once, while its run is still the latest in its slab (held, so
            // another part cannot take from behind it meanwhile), so what it did not need of the 3 s goes back (most
            // hits ring for a fraction of that). The chunks are the same as when replays extend it, so the samples are too.
            object? holder = longestNote <= 0 ? this : null;
            entry = new Entry(voice, arena.Take(capacity, holder), arena) { Holder = holder };
            _entries[key] = entry;
            Extend(entry, longestNote <= 0 ? capacity : Math.Min(Chunk, capacity));
            if (holder is not null)
            {
                entry.Holder = null;
                arena.Release(holder);
            }
        }
        return entry;
    }

    /// <summary>Frames a voice needs after note-off to fall 80 dB (its release is the time to fall 60).</summary>
    public static int ReleaseFrames(Voice voice) => (int)(voice.ReleaseSeconds * 1.4f * Voice.SampleRate);

    /// <summary>Renders the entry up to at least <paramref name="frames"/> frames (or until it has died away).</summary>
    public static void Extend(Entry entry, int frames)
    {
        frames = Math.Min(frames, MaxFrames);
        // One scratch chunk for the whole call: a stackalloc inside the loop would grow the stack with every chunk.
        Span<float> scratch = stackalloc float[Chunk];
        while (!entry.Finished && entry.Rendered < frames)
        {
            int count = Math.Min(Chunk, entry.Capacity - entry.Rendered);
            if (count <= 0)
            {
                entry.Finished = true;
                break;
            }
            var left = entry.Left.AsSpan(entry.Rendered, count);
            if (entry.Stereo)
            {
                entry.Finished = !entry.Voice.Render(left, entry.Right.AsSpan(entry.Rendered, count));
            }
            else
            {
                var right = scratch[..count];
                right.Clear(); // voices add into their buffers
                entry.Finished = !entry.Voice.Render(left, right);
                if (!left.SequenceEqual(right))
                {
                    // A stereo voice (spread oscillators): its first chunk already shows it.
                    entry.Right = entry.Arena.Take(entry.Capacity, entry.Holder);
                    entry.Left.AsSpan(0, entry.Rendered).CopyTo(entry.Right);
                    right.CopyTo(entry.Right.AsSpan(entry.Rendered));
                }
            }
            entry.Rendered += count;
            if (entry.Rendered >= MaxFrames) entry.Finished = true;
        }
        if (entry.Finished) Trim(entry);
    }

    /// <summary>Gives back the part of a finished entry's runs it did not fill (only runs still latest in their slab).</summary>
    private static void Trim(Entry entry)
    {
        if (entry.Rendered >= entry.Capacity) return;
        // Right first: taken after the left, it may sit just behind it in the same slab. Once finished, an entry is
        // only read up to Rendered, so the two channels need not keep one length.
        if (entry.Stereo) entry.Right = entry.Arena.Trim(entry.Right, entry.Rendered);
        entry.Left = entry.Arena.Trim(entry.Left, entry.Rendered);
    }
}
