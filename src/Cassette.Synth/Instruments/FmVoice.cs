namespace Cassette.Synth.Instruments;

/// <summary>
/// Frequency modulation after Chowning: electric piano (DX7-style 1:1 body plus a 14:1 tine), bells (1:1.4),
/// brass and reeds (index following the envelope). Sines come from the table.
/// </summary>
internal sealed class FmVoice : Voice
{
    private readonly FmPatch _patch;
    private readonly float _increment, _velocity, _indexDecay, _secondDecay, _brightness;
    private float _carrier, _modulator, _carrier2, _modulator2, _index, _secondIndex, _time, _pitchFactor = 1f, _tremolo = 1f;
    private int _control;
    private Envelope _amp;

    public FmVoice(FmPatch patch, long start, int length, float pitch, float velocity, float pan)
        : base(start, length, pan)
    {
        _patch = patch;
        _velocity = velocity;
        float frequency = Frequency(pitch);
        _increment = frequency / SampleRate;
        // Less modulation up high keeps the top octaves from turning to noise (and aliasing).
        _brightness = Math.Clamp(600f / frequency, 0.35f, 1.2f) * (0.4f + 0.6f * velocity);
        _index = patch.Index * _brightness;
        _secondIndex = patch.SecondIndex * _brightness;
        _indexDecay = MathF.Exp(-1f / (MathF.Max(0.001f, patch.IndexDecay) * SampleRate));
        _secondDecay = MathF.Exp(-1f / (MathF.Max(0.001f, patch.SecondDecay) * SampleRate));
        _amp = new Envelope(patch.Attack, patch.Decay, patch.Sustain, patch.Release, SampleRate);
    }

    private void UpdateModulation()
    {
        var p = _patch;
        float factor = 1f;
        if (p.VibratoCents > 0 && _time > 0.25f) factor *= 1f + p.VibratoCents * 0.000578f * SineTable.Sin(p.VibratoHz * _time);
        if (p.ScoopCents > 0 && _time < 0.08f) factor *= 1f - p.ScoopCents * 0.000578f * (1f - _time / 0.08f);
        _pitchFactor = factor;
        _tremolo = p.TremoloDepth > 0 ? 1f - p.TremoloDepth * (0.5f + 0.5f * SineTable.Sin(p.TremoloHz * _time)) : 1f;
    }

    public override float ReleaseSeconds => _patch.Release;

    public override bool Render(Span<float> left, Span<float> right)
    {
        var p = _patch;
        float level = p.Level * (0.3f + 0.7f * _velocity);
        float step = 1f / SampleRate;
        for (int i = 0; i < left.Length; i++)
        {
            if (--HeldSamples == 0) _amp.Release();
            float envelope = _amp.Next();
            // Pitch and tremolo move slowly: update them every 32 samples, not every sample.
            if ((_control++ & 31) == 0) UpdateModulation();
            _time += step;
            float increment = _increment * _pitchFactor;

            _modulator += increment * p.ModulatorRatio;
            _carrier += increment * p.CarrierRatio;
            if (_modulator >= 1f) _modulator -= MathF.Floor(_modulator);
            if (_carrier >= 1f) _carrier -= MathF.Floor(_carrier);
            float index = p.IndexFollowsEnvelope ? p.Index * _brightness * envelope : _index;
            _index *= _indexDecay;
            // Once a modulation index has decayed to nothing, the operator is a plain sine: skip the modulator.
            float s = index > 1e-3f ? SineTable.Sin(_carrier + index * 0.159f * SineTable.Sin(_modulator)) : SineTable.Sin(_carrier);

            if (p.SecondLevel > 0)
            {
                _modulator2 += increment * p.SecondModulatorRatio;
                _carrier2 += increment * p.SecondCarrierRatio;
                if (_modulator2 >= 1f) _modulator2 -= MathF.Floor(_modulator2);
                if (_carrier2 >= 1f) _carrier2 -= MathF.Floor(_carrier2);
                _secondIndex *= _secondDecay;
                float phase = _secondIndex > 1e-3f ? _carrier2 + _secondIndex * 0.159f * SineTable.Sin(_modulator2) : _carrier2;
                s += p.SecondLevel * SineTable.Sin(phase);
            }
            s *= envelope * level * _tremolo;
            left[i] += s * GainLeft;
            right[i] += s * GainRight;
        }
        return !_amp.Finished;
    }
}
