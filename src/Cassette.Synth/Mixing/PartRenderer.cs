using Cassette.Synth.Composition;
using Cassette.Synth.Effects;
using Cassette.Synth.Instruments;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Mixing;

/// <summary>
/// Streams one part block by block: starts the voices whose notes begin in the block, lets every live voice add
/// itself, drops the ones that have died away, then runs the part's own inserts (low cut, guitar drive).
/// </summary>
internal sealed class PartRenderer
{
    private readonly Part _part;
    private readonly NoteEvent[] _notes;
    private readonly List<Voice> _voices = [];
    private readonly float _tonicHz;
    private readonly ulong _seed;
    private readonly float _lowCutCoefficient;
    private float _lowLeft, _lowRight;
    private OnePole _airLeft, _airRight;
    private readonly bool _drums;
    private readonly SharedFilter? _sharedFilter;
    private Overdrive _driveLeft, _driveRight;
    private readonly bool _driven;
    private readonly NoteCache? _cache;
    private readonly Dictionary<(int, int), int> _longestNote = [];
    private readonly int _releaseFrames;
    private readonly bool _singleLayer;
    private int _next;

    /// <summary>A part of a render; its note cache (if the instrument has one) takes memory from the render's <paramref name="arena"/>.</summary>
    public PartRenderer(Part part, int blockSize, float tonicHz, ulong seed, SampleArena arena)
    {
        _part = part;
        _notes = part.Notes.OrderBy(n => n.Start).ToArray();
        _tonicHz = tonicHz;
        _seed = seed;
        _left = [BlockBuffers.Rent(blockSize), BlockBuffers.Rent(blockSize)];
        _right = [BlockBuffers.Rent(blockSize), BlockBuffers.Rent(blockSize)];
        _lowCutCoefficient = part.Mix.LowCutHz > 0 ? 1f - MathF.Exp(-2f * MathF.PI * part.Mix.LowCutHz / Voice.SampleRate) : 0f;
        _driven = part.Instrument == InstrumentKind.DrivenGuitar;
        // A gentle roll-off above 12 kHz on the drum bus: cymbal and snare noise keep their sizzle, but the sample-to-
        // sample jumps of raw noise (which a click detector flags, and ears hear as grit) are halved.
        _drums = part.Role == PartRole.Drums;
        _singleLayer = _drums || !VoiceFactory.VelocityChangesTimbre(part.Instrument);
        _sharedFilter = VoiceFactory.SubtractivePatchOf(part.Instrument) is { SharedFilter: true } patch ? new SharedFilter(patch) : null;
        _cache = VoiceFactory.IsCacheable(part.Instrument) ? new NoteCache(part.Instrument, tonicHz, seed, arena) : null;
        if (_cache is not null && part.Role != PartRole.Drums)
        {
            // A probe voice tells the instrument's release; each cache entry is sized for the longest note it serves.
            _releaseFrames = NoteCache.ReleaseFrames(VoiceFactory.Create(part.Instrument, new NoteEvent(0, 1, 60, 1), 0, tonicHz, seed));
            foreach (var note in _notes.Where(Fits))
            {
                var key = NoteCache.Key(note.Pitch, Layer(note));
                _longestNote[key] = Math.Max(_longestNote.GetValueOrDefault(key), note.Length);
            }
        }
        _airLeft = new OnePole(12000f, Voice.SampleRate);
        _airRight = new OnePole(12000f, Voice.SampleRate);
        if (_driven)
        {
            _driveLeft = new Overdrive(9f, Voice.SampleRate);
            _driveRight = new Overdrive(9f, Voice.SampleRate);
        }
    }

    // Two buffer sets: the mix bus reads one block while the next renders into the other.
    private readonly float[][] _left, _right;

    /// <summary>Gives the block buffers back for the next render; the part must not render or be summed after this.</summary>
    public void Release()
    {
        BlockBuffers.Return(_left);
        BlockBuffers.Return(_right);
    }

    public Part Part => _part;

    public float[] Left(int buffer) => _left[buffer];

    public float[] Right(int buffer) => _right[buffer];

    /// <summary>Renders frames [start, start + count) into buffer set <paramref name="buffer"/> (0 or 1).</summary>
    public void Render(long start, int count, int buffer)
    {
        var left = _left[buffer].AsSpan(0, count);
        var right = _right[buffer].AsSpan(0, count);
        left.Clear();
        right.Clear();
        long end = start + count;
        while (_next < _notes.Length && _notes[_next].Start < end)
        {
            var note = _notes[_next];
            _voices.Add(StartVoice(note, _next));
            _next++;
        }
        for (int v = _voices.Count - 1; v >= 0; v--)
        {
            var voice = _voices[v];
            int offset = (int)Math.Max(0, voice.Start - start);
            if (!voice.Render(left[offset..], right[offset..])) _voices.RemoveAt(v);
        }
        _sharedFilter?.Process(left, right);
        if (_driven)
            for (int i = 0; i < count; i++)
            {
                left[i] = _driveLeft.Process(left[i]);
                right[i] = _driveRight.Process(right[i]);
            }
        if (_drums)
            for (int i = 0; i < count; i++)
            {
                left[i] = _airLeft.LowPass(left[i]);
                right[i] = _airRight.LowPass(right[i]);
            }
        if (_lowCutCoefficient > 0) LowCut(left, right);
    }

    /// <summary>A replay from the note cache when the note fits in it, else a live voice.</summary>
    private Voice StartVoice(NoteEvent note, int index)
    {
        float pan = _part.Mix.Pan + note.Pan + (_drums ? Instruments.Drums.DrumKits.Placement((DrumSound)(int)note.Pitch) : 0f);
        if (_cache is not null)
        {
            bool drum = _drums;
            if (drum && (int)note.Pitch == (int)DrumSound.Riser) return VoiceFactory.Create(_part.Instrument, note, pan, _tonicHz, StableHash.Mix(_seed, (ulong)index));
            if (Fits(note))
            {
                int layer = Layer(note);
                var entry = _cache.Get(note.Pitch, layer, drum ? 0 : _longestNote.GetValueOrDefault(NoteCache.Key(note.Pitch, layer)));
                return new CachedVoice(entry, note.Start, note.Length, pan, note.Velocity * NoteCache.Layers / layer, entry.Voice.ReleaseSeconds);
            }
        }
        return VoiceFactory.Create(_part.Instrument, note, pan, _tonicHz, StableHash.Mix(_seed, (ulong)index));
    }

    /// <summary>Whether a note and its release fit in the cache (drums always do: they play out on their own).</summary>
    private bool Fits(NoteEvent note) => _drums || note.Length + _releaseFrames < NoteCache.MaxFrames;

    /// <summary>
    /// The velocity layer a note replays from: drums and instruments whose sound only gets louder with velocity use
    /// one (the top) and scale it; instruments that brighten with it use two.
    /// </summary>
    private int Layer(NoteEvent note) => _singleLayer ? NoteCache.Layers : Math.Clamp((int)MathF.Round(note.Velocity * NoteCache.Layers), 1, NoteCache.Layers);

    private void LowCut(Span<float> left, Span<float> right)
    {
        float a = _lowCutCoefficient, l = _lowLeft, r = _lowRight;
        for (int i = 0; i < left.Length; i++)
        {
            l += a * (left[i] - l);
            r += a * (right[i] - r);
            left[i] -= l;
            right[i] -= r;
        }
        _lowLeft = MathF.Abs(l) < 1e-15f ? 0f : l;
        _lowRight = MathF.Abs(r) < 1e-15f ? 0f : r;
    }
}
