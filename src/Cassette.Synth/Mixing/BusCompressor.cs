namespace Cassette.Synth.Mixing;

/// <summary>
/// A gentle glue compressor on the stereo bus: linked RMS detection, 2:1 above -16 dBFS, 20 ms attack and
/// 200 ms release, so the loudest passages give up 1–3 dB and the limiter has less to do. The gain is computed
/// every 16 samples and interpolated between, which keeps the logarithms out of the per-sample loop.
/// </summary>
internal struct BusCompressor
{
    private const float ThresholdDb = -16f, Ratio = 2f;
    private const int Control = 16;
    private readonly float _rmsCoefficient, _attack, _release;
    private float _meanSquare, _gainDb, _gain;

    public BusCompressor(float sampleRate)
    {
        _rmsCoefficient = 1f - MathF.Exp(-1f / (0.01f * sampleRate));
        _attack = 1f - MathF.Exp(-Control / (0.02f * sampleRate));
        _release = 1f - MathF.Exp(-Control / (0.2f * sampleRate));
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
            float targetDb = levelDb > ThresholdDb ? (ThresholdDb - levelDb) * (1f - 1f / Ratio) : 0f;
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
