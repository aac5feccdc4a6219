using Cassette.Synth.Instruments;

namespace Cassette.Synth.Mixing;

/// <summary>
/// Plays a note from the part's <see cref="NoteCache"/>: the cached waveform scaled to this note's velocity,
/// panned, and faded with the instrument's release after note-off. Drums (release 0) play out to their end.
/// </summary>
internal sealed class CachedVoice : Voice
{
    private const float CentreGain = 1.41421356f; // the cache is rendered centred, at cos(π/4) per side
    private readonly NoteCache.Entry _entry;
    private readonly float _scale, _releaseCoefficient, _release;
    private float _fade = 1f;
    private int _position;

    public CachedVoice(NoteCache.Entry entry, long start, int length, float pan, float scale, float releaseSeconds)
        : base(start, releaseSeconds > 0 ? length : int.MaxValue, pan)
    {
        _entry = entry;
        _scale = scale * CentreGain;
        _release = releaseSeconds;
        _releaseCoefficient = MathF.Exp(-6.9f / (MathF.Max(0.01f, releaseSeconds) * SampleRate));
    }

    public override float ReleaseSeconds => _release;

    public override bool Render(Span<float> left, Span<float> right)
    {
        var entry = _entry;
        if (_position + left.Length > entry.Rendered) NoteCache.Extend(entry, _position + left.Length);
        int available = Math.Max(0, Math.Min(left.Length, entry.Rendered - _position));
        var sourceLeft = entry.Left.AsSpan(_position, available);
        var sourceRight = entry.Stereo ? entry.Right.AsSpan(_position, available) : sourceLeft;
        float gainLeft = GainLeft * _scale, gainRight = GainRight * _scale;

        // Before note-off the replay is a scaled copy, done a vector at a time; the release fades sample by sample.
        int held = (int)Math.Clamp(HeldSamples, 0, available);
        AddScaled(sourceLeft[..held], left, gainLeft);
        AddScaled(sourceRight[..held], right, gainRight);
        HeldSamples -= held;
        for (int i = held; i < available; i++)
        {
            _fade *= _releaseCoefficient;
            if (_fade < 1e-4f)
            {
                _position += i;
                return false;
            }
            left[i] += sourceLeft[i] * gainLeft * _fade;
            right[i] += sourceRight[i] * gainRight * _fade;
            HeldSamples--;
        }
        _position += available;
        return !(entry.Finished && _position >= entry.Rendered);
    }

    private static void AddScaled(ReadOnlySpan<float> source, Span<float> destination, float gain)
    {
        int width = System.Numerics.Vector<float>.Count, i = 0;
        var g = new System.Numerics.Vector<float>(gain);
        for (; i <= source.Length - width; i += width)
            (new System.Numerics.Vector<float>(destination[i..]) + new System.Numerics.Vector<float>(source[i..]) * g).CopyTo(destination[i..]);
        for (; i < source.Length; i++) destination[i] += source[i] * gain;
    }
}
