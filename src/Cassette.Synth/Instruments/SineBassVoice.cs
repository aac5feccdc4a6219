namespace Cassette.Synth.Instruments;

/// <summary>Sub bass and tuned 808: sine plus second harmonic, a short pitch drop, a long tail, soft saturation.</summary>
internal sealed class SineBassVoice : Voice
{
    private readonly SineBassPatch _patch;
    private readonly float _increment, _dropDecay, _velocity, _driveNormal;
    private float _phase, _phase2, _drop;
    private Envelope _amp;

    public SineBassVoice(SineBassPatch patch, long start, int length, float pitch, float velocity, float pan)
        : base(start, length, pan)
    {
        _patch = patch;
        _velocity = velocity;
        _increment = Frequency(pitch) / SampleRate;
        _drop = patch.DropFrom - 1f;
        _dropDecay = MathF.Exp(-1f / (MathF.Max(0.001f, patch.DropSeconds) * SampleRate));
        _driveNormal = 1f / Effects.SoftClip.Tanh(patch.Drive);
        _amp = new Envelope(patch.Attack, patch.Decay, patch.Sustain, patch.Release, SampleRate);
    }

    public override float ReleaseSeconds => _patch.Release;

    public override bool Render(Span<float> left, Span<float> right)
    {
        var p = _patch;
        float level = p.Level * (0.4f + 0.6f * _velocity);
        for (int i = 0; i < left.Length; i++)
        {
            if (--HeldSamples == 0) _amp.Release();
            float envelope = _amp.Next();
            float increment = _increment * (1f + _drop);
            _drop *= _dropDecay;
            _phase += increment;
            if (_phase >= 1f) _phase -= 1f;
            _phase2 += 2f * increment;
            if (_phase2 >= 1f) _phase2 -= 1f;
            float s = SineTable.Sin(_phase) + p.SecondHarmonic * SineTable.Sin(_phase2);
            if (p.Drive > 1f) s = Effects.SoftClip.Tanh(s * p.Drive) * _driveNormal;
            s *= envelope * level;
            left[i] += s * GainLeft;
            right[i] += s * GainRight;
        }
        return !_amp.Finished;
    }
}
