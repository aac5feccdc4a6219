using Cassette.Synth.Effects;

namespace Cassette.Synth.Instruments;

/// <summary>
/// Detuned PolyBLEP saws or squares (with an optional sub sine) through an enveloped state-variable low-pass:
/// basses, leads, plucks, pads, strings and supersaws. The filter is updated every 32 samples, which is inaudible
/// and keeps the tan() out of the inner loop.
/// </summary>
internal sealed class SubtractiveVoice : Voice
{
    private const int ControlInterval = 32;
    private readonly SubtractivePatch _patch;
    private readonly float[] _phase, _increment, _inverse, _side;
    private readonly float _baseIncrement, _velocity, _cutoff;
    private float _subPhase, _time, _filterEnvelope = 1f, _filterDecayPerControl, _vibrato = 1f;
    private Envelope _amp;
    private StateVariableFilter _filterLeft, _filterRight, _filterLeft2, _filterRight2;
    private int _control;

    public SubtractiveVoice(SubtractivePatch patch, long start, int length, float pitch, float velocity, float pan, ulong seed)
        : base(start, length, pan)
    {
        _patch = patch;
        _velocity = velocity;
        float frequency = Frequency(pitch);
        _baseIncrement = frequency / SampleRate;
        int count = Math.Max(1, patch.Oscillators);
        _phase = new float[count];
        _increment = new float[count];
        _inverse = new float[count];
        _side = new float[count];
        var noise = new NoiseSource(seed);
        for (int i = 0; i < count; i++)
        {
            float spread = count == 1 ? 0 : (i / (float)(count - 1) - 0.5f) * patch.DetuneCents;
            _increment[i] = _baseIncrement * MathF.Pow(2f, spread / 1200f);
            _inverse[i] = 1f / _increment[i];
            _phase[i] = noise.NextUnit();
            _side[i] = count == 1 ? 0 : (i % 2 == 0 ? -1 : 1) * patch.StereoSpread;
        }
        _cutoff = patch.CutoffHz + patch.KeyTrack * frequency;
        _filterDecayPerControl = MathF.Exp(-ControlInterval / (MathF.Max(0.001f, patch.FilterDecay) * SampleRate));
        _amp = new Envelope(patch.Attack, patch.Decay, patch.Sustain, patch.Release, SampleRate);
    }

    public override float ReleaseSeconds => _patch.Release;

    public override bool Render(Span<float> left, Span<float> right)
    {
        var p = _patch;
        int count = _phase.Length;
        float level = p.Level * (0.35f + 0.65f * _velocity) / MathF.Sqrt(count);
        // Oscillators spread across the stereo field need a filter per side; the rest share one (half the cost).
        bool stereo = p.StereoSpread > 0 && count > 1;
        bool square = p.Square;
        float vibrato = _vibrato;
        var phases = _phase.AsSpan(0, count);
        var increments = _increment.AsSpan(0, count);
        var inverses = _inverse.AsSpan(0, count);
        var sides = _side.AsSpan(0, count);
        float inverse = 1f / vibrato;
        for (int i = 0; i < left.Length; i++)
        {
            if (_control-- <= 0)
            {
                _control = ControlInterval - 1;
                UpdateFilter(out vibrato);
                _vibrato = vibrato;
                inverse = 1f / vibrato;
            }
            if (--HeldSamples == 0) _amp.Release();
            float envelope = _amp.Next() * level;
            float l = 0f, r = 0f;
            for (int o = 0; o < count; o++)
            {
                float dt = increments[o] * vibrato;
                float t = phases[o] + dt;
                if (t >= 1f) t -= 1f;
                phases[o] = t;
                float s = square ? PolyBlep.Square(t, dt, inverses[o] * inverse) : PolyBlep.Saw(t, dt, inverses[o] * inverse);
                l += s * (1f - sides[o]);
                r += s * (1f + sides[o]);
            }
            if (p.SubLevel > 0)
            {
                _subPhase += _baseIncrement * 0.5f * vibrato;
                if (_subPhase >= 1f) _subPhase -= 1f;
                float sub = SineTable.Sin(_subPhase) * p.SubLevel * count;
                l += sub;
                r += sub;
            }
            if (p.SharedFilter)
            {
                // The part filters the sum of all voices.
            }
            else if (stereo)
            {
                l = _filterLeft.LowPass(l);
                r = _filterRight.LowPass(r);
                if (p.FourPole)
                {
                    l = _filterLeft2.LowPass(l);
                    r = _filterRight2.LowPass(r);
                }
            }
            else
            {
                l = _filterLeft.LowPass(0.5f * (l + r));
                if (p.FourPole) l = _filterLeft2.LowPass(l);
                r = l;
            }
            left[i] += l * envelope * GainLeft;
            right[i] += r * envelope * GainRight;
        }
        return !_amp.Finished;
    }

    private void UpdateFilter(out float vibrato)
    {
        var p = _patch;
        _time += ControlInterval / SampleRate;
        _filterEnvelope *= _filterDecayPerControl;
        float octaves = p.EnvelopeOctaves * _filterEnvelope * (0.5f + 0.5f * _velocity);
        if (p.FilterLfoHz > 0) octaves += p.FilterLfoOctaves * SineTable.Sin(p.FilterLfoHz * _time + 0.25f);
        float cutoff = _cutoff * MathF.Pow(2f, octaves);
        _filterLeft.SetCutoff(cutoff, p.Resonance, SampleRate);
        _filterRight.SetCutoff(cutoff, p.Resonance, SampleRate);
        if (p.FourPole)
        {
            _filterLeft2.SetCutoff(cutoff, p.Resonance * 0.5f, SampleRate);
            _filterRight2.SetCutoff(cutoff, p.Resonance * 0.5f, SampleRate);
        }
        vibrato = 1f;
        if (p.VibratoCents > 0 && _time > p.VibratoDelay)
        {
            float depth = p.VibratoCents * MathF.Min(1f, (_time - p.VibratoDelay) / 0.4f);
            vibrato = MathF.Pow(2f, depth * SineTable.Sin(p.VibratoHz * _time) / 1200f);
        }
    }
}
