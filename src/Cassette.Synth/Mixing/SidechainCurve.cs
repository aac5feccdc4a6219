namespace Cassette.Synth.Mixing;

/// <summary>
/// The pumping of dance music without a compressor: after every kick, the gain dips over 3 ms (raised cosine) and
/// recovers over 160 ms. Computed from the kick times, so it is exact and free of detector lag; the shape is a
/// table, since it is read for every sample of every ducked part.
/// </summary>
internal sealed class SidechainCurve
{
    private readonly long[] _kicks;
    private readonly float[] _shape;
    private int _index;

    public SidechainCurve(IReadOnlyList<long> kickStarts, int sampleRate)
    {
        _kicks = kickStarts.OrderBy(k => k).ToArray();
        int attack = sampleRate * 3 / 1000, recover = sampleRate * 160 / 1000;
        _shape = new float[attack + recover];
        for (int i = 0; i < _shape.Length; i++)
            _shape[i] = i < attack ? 0.5f - 0.5f * MathF.Cos(MathF.PI * i / attack)
                : 0.5f + 0.5f * MathF.Cos(MathF.PI * (i - attack) / recover);
    }

    public bool IsEmpty => _kicks.Length == 0;

    /// <summary>The ducking amount (0 none … 1 full) for each frame of [start, start + shape.Length).</summary>
    public void Fill(long start, Span<float> shape)
    {
        for (int i = 0; i < shape.Length; i++)
        {
            long frame = start + i;
            while (_index + 1 < _kicks.Length && _kicks[_index + 1] <= frame) _index++;
            long since = _kicks.Length == 0 || _kicks[_index] > frame ? long.MaxValue : frame - _kicks[_index];
            shape[i] = since < _shape.Length ? _shape[since] : 0f;
        }
    }
}
