using Cassette.Synth.Effects;

namespace Cassette.Synth.Instruments.Drums;

/// <summary>An EDM riser: noise through a band-pass sweeping up two and a half octaves while it swells, then a short fade.</summary>
internal sealed class RiserVoice : Voice
{
    private readonly int _length;
    private readonly float _level;
    private int _elapsed, _control;
    private float _gain;
    private StateVariableFilter _left, _right;
    private NoiseSource _noise;

    public RiserVoice(long start, int length, float velocity, ulong seed)
        : base(start, length, 0f)
    {
        _length = Math.Max(1, length);
        _level = 0.18f * velocity;
        _noise = new NoiseSource(seed);
    }

    public override float ReleaseSeconds => 0.02f;

    public override bool Render(Span<float> left, Span<float> right)
    {
        for (int i = 0; i < left.Length; i++)
        {
            float progress = Math.Min(1f, _elapsed / (float)_length);
            if (_control-- <= 0)
            {
                _control = 31;
                float hz = 800f * MathF.Pow(2f, 2.5f * progress);
                _left.SetCutoff(hz, 0.5f, SampleRate);
                _right.SetCutoff(hz * 1.03f, 0.5f, SampleRate);
            }
            // Swell quadratically; after the end, fade over 20 ms.
            float target = _elapsed < _length ? progress * progress : 0f;
            _gain += (target - _gain) * (_elapsed < _length ? 1f : 0.0012f);
            left[i] += _left.BandPass(_noise.Next()) * _gain * _level;
            right[i] += _right.BandPass(_noise.Next()) * _gain * _level;
            _elapsed++;
        }
        return _elapsed < _length || _gain > 1e-5f;
    }
}
