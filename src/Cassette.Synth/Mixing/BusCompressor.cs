namespace Cassette.Synth.Mixing;

/// <summary>
/// A gentle glue compressor on the stereo bus: linked RMS detection over 30 ms, 2:1 above a threshold 3 dB over
/// the target loudness, 30 ms attack and 300 ms release, so only the loudest passages give up 1–3 dB. A faster or
/// lower-set compressor pumps on every beat, which flattens the envelope a tempo detector reads. The gain is
/// computed every 16 samples and interpolated between, which keeps the logarithms out of the per-sample loop.
/// </summary>
internal readonly struct BusCompressor
{
    private const float Ratio = 2f;
    private const int Control = 16;
    private readonly float _rmsCoefficient, _attack, _release, _thresholdDb;

    public BusCompressor(float thresholdDb, float sampleRate)
    {
        _thresholdDb = thresholdDb;
        _rmsCoefficient = 1f - MathF.Exp(-1f / (0.03f * sampleRate));
        _attack = 1f - MathF.Exp(-Control / (0.03f * sampleRate));
        _release = 1f - MathF.Exp(-Control / (0.3f * sampleRate));
    }

    /// <summary>
    /// Applies <paramref name="inputGain"/> and then the compression to the first <paramref name="frames"/> frames, in
    /// place. The detector is one chain through the whole track, so it runs first, alone, and records the gain at
    /// every control point; the two channels are then scaled on two cores, each replaying the same ramps.
    /// </summary>
    public void Process(float[] left, float[] right, int frames, float inputGain)
    {
        var gains = Detect(left.AsSpan(0, frames), right.AsSpan(0, frames), inputGain);
        Parallel.Invoke(() => Apply(left.AsSpan(0, frames), gains, inputGain), () => Apply(right.AsSpan(0, frames), gains, inputGain));
    }

    /// <summary>The gain reached at the end of each control interval.</summary>
    private float[] Detect(ReadOnlySpan<float> left, ReadOnlySpan<float> right, float inputGain)
    {
        var gains = new float[(left.Length + Control - 1) / Control];
        float meanSquare = 0f, gainDb = 0f, coefficient = _rmsCoefficient;
        for (int k = 0; k < gains.Length; k++)
        {
            int start = k * Control, end = Math.Min(left.Length, start + Control);
            for (int i = start; i < end; i++)
            {
                float l = left[i] * inputGain, r = right[i] * inputGain;
                meanSquare += coefficient * (0.5f * (l * l + r * r) - meanSquare);
            }
            if (meanSquare < 1e-20f) meanSquare = 0f;
            float levelDb = 10f * MathF.Log10(meanSquare + 1e-12f);
            float targetDb = levelDb > _thresholdDb ? (_thresholdDb - levelDb) * (1f - 1f / Ratio) : 0f;
            gainDb += (targetDb < gainDb ? _attack : _release) * (targetDb - gainDb);
            gains[k] = MathF.Pow(10f, gainDb / 20f);
        }
        return gains;
    }

    /// <summary>Scales one channel, ramping linearly from each control point's gain to the next.</summary>
    private static void Apply(Span<float> samples, float[] gains, float inputGain)
    {
        float gain = 1f;
        for (int k = 0; k < gains.Length; k++)
        {
            int start = k * Control, end = Math.Min(samples.Length, start + Control);
            float next = gains[k];
            float step = (next - gain) / (end - start);
            for (int i = start; i < end; i++)
            {
                gain += step;
                samples[i] *= inputGain * gain;
            }
            gain = next;
        }
    }
}
