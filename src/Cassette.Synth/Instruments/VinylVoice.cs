using Cassette.Synth.Effects;

namespace Cassette.Synth.Instruments;

/// <summary>
/// Record surface: band-limited hiss around -48 dBFS and Poisson-timed crackles (peaks at most 0.05), different in
/// each channel. The bed also keeps the track from ever being digitally silent between notes.
/// </summary>
internal sealed class VinylVoice : Voice
{
    private const float CracklesPerSecond = 5f;
    private NoiseSource _noise;
    private StateVariableFilter _hissLeft, _hissRight;
    private float _crackleLeft, _crackleRight;
    private int _fadeIn;

    public VinylVoice(long start, int length, ulong seed)
        : base(start, length, 0f)
    {
        _noise = new NoiseSource(seed);
        _hissLeft.SetCutoff(3000f, 0.1f, SampleRate);
        _hissRight.SetCutoff(3000f, 0.1f, SampleRate);
    }

    public override float ReleaseSeconds => 0f;

    public override bool Render(Span<float> left, Span<float> right)
    {
        const float probability = CracklesPerSecond / SampleRate;
        for (int i = 0; i < left.Length; i++)
        {
            float fade = MathF.Min(1f, ++_fadeIn / 4410f);
            if (_noise.NextUnit() < probability) _crackleLeft = 0.05f * _noise.Next();
            if (_noise.NextUnit() < probability) _crackleRight = 0.05f * _noise.Next();
            _crackleLeft *= 0.93f;
            _crackleRight *= 0.93f;
            if (MathF.Abs(_crackleLeft) < 1e-12f) _crackleLeft = 0f;
            if (MathF.Abs(_crackleRight) < 1e-12f) _crackleRight = 0f;
            left[i] += (_hissLeft.BandPass(_noise.Next()) * 0.012f + _crackleLeft) * fade;
            right[i] += (_hissRight.BandPass(_noise.Next()) * 0.012f + _crackleRight) * fade;
        }
        HeldSamples -= left.Length;
        return HeldSamples > 0;
    }
}
