namespace Cassette.Synth.Mixing;

/// <summary>
/// A gentle glue compressor on the stereo bus: linked RMS detection over 30 ms, 2:1 above a threshold 3 dB over
/// the target loudness, 30 ms attack and 300 ms release, so only the loudest passages give up 1–3 dB. A faster or
/// lower-set compressor pumps on every beat, which flattens the envelope a tempo detector reads. The gain is
/// computed every 16 samples and interpolated between, which keeps the logarithms out of the per-sample loop.
/// </summary>
internal struct BusCompressor
{
    private const float Ratio = 2f;
    private const int Control = 16;
    private readonly float _rmsCoefficient, _attack, _release, _thresholdDb;
    private float _meanSquare, _gainDb, _gain;

    public BusCompressor(float thresholdDb, float sampleRate)
    {
        _thresholdDb = thresholdDb;
        _rmsCoefficient = 1f - MathF.Exp(-1f / (0.03f * sampleRate));
        _attack = 1f - MathF.Exp(-Control / (0.03f * sampleRate));
        _release = 1f - MathF.Exp(-Control / (0.3f * sampleRate));
        _meanSquare = 0f;
        _gainDb = 0f;
        _gain = 1f;
    }

    /// <summary>Applies <paramref name="inputGain"/> and then the compression, in place.</summary>
    public void Process(Span<float> left, Span<float> right, float inputGain)
    {
        for (int start = 0; start < left.Length; start += Control)
        {
            int end = Math.Min(left.Length, start + Control);
            for (int i = start; i < end; i++)
            {
                float l = left[i] * inputGain, r = right[i] * inputGain;
                _meanSquare += _rmsCoefficient * (0.5f * (l * l + r * r) - _meanSquare);
            }
            if (_meanSquare < 1e-20f) _meanSquare = 0f;
            float levelDb = 10f * MathF.Log10(_meanSquare + 1e-12f);
            float targetDb = levelDb > _thresholdDb ? (_thresholdDb - levelDb) * (1f - 1f / Ratio) : 0f;
            _gainDb += (targetDb < _gainDb ? _attack : _release) * (targetDb - _gainDb);
            float next = MathF.Pow(10f, _gainDb / 20f);
            float step = (next - _gain) / (end - start);
            for (int i = start; i < end; i++)
            {
                _gain += step;
                left[i] *= inputGain * _gain;
                right[i] *= inputGain * _gain;
            }
            _gain = next;
        }
    }
}
