namespace Cassette.Synth.Mixing;

/// <summary>
/// The pumping of dance music without a compressor: after every kick, the gain dips over 3 ms (raised cosine) and
/// recovers over 160 ms. Computed from the kick times, so it is exact and free of detector lag.
/// </summary>
internal sealed class SidechainCurve(IReadOnlyList<long> kickStarts, int sampleRate)
{
    private readonly long[] _kicks = kickStarts.OrderBy(k => k).ToArray();
    private readonly int _attack = sampleRate * 3 / 1000;
    private readonly int _recover = sampleRate * 160 / 1000;
    private int _index;

    public bool IsEmpty => _kicks.Length == 0;

    /// <summary>The ducking amount (0 none … 1 full) for each frame of [start, start + shape.Length).</summary>
    public void Fill(long start, Span<float> shape)
    {
        for (int i = 0; i < shape.Length; i++)
        {
            long frame = start + i;
            while (_index + 1 < _kicks.Length && _kicks[_index + 1] <= frame) _index++;
            long since = _kicks.Length == 0 || _kicks[_index] > frame ? long.MaxValue : frame - _kicks[_index];
            shape[i] = since < _attack ? 0.5f - 0.5f * MathF.Cos(MathF.PI * since / _attack)
                : since < _attack + _recover ? 0.5f + 0.5f * MathF.Cos(MathF.PI * (since - _attack) / _recover)
                : 0f;
        }
    }
}
