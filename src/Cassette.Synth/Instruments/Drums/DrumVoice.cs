using Cassette.Synth.Effects;

namespace Cassette.Synth.Instruments.Drums;

/// <summary>Renders a <see cref="DrumPatch"/>: every part decays exponentially; the voice ends at -100 dB.</summary>
internal sealed class DrumVoice : Voice
{
    // TR-808 cymbal and hat oscillator frequencies.
    private static readonly float[] MetalHz = [205.3f, 304.4f, 369.6f, 522.7f, 540f, 800f];

    private readonly DrumPatch _patch;
    private readonly float _toneIncrement, _toneDecay, _modeDecay, _noiseDecay, _dropDecay, _attackStep, _level, _driveNormal;
    private readonly float[] _metalPhase = new float[6];
    private float _tonePhase, _modePhase, _tone, _mode, _noise, _drop, _attack, _click, _time;
    private StateVariableFilter _filter, _clickFilter, _air;
    private NoiseSource _random;

    public DrumVoice(DrumPatch patch, long start, float velocity, float pan, ulong seed)
        : base(start, int.MaxValue, pan)
    {
        _patch = patch;
        _toneIncrement = patch.ToneHz / SampleRate;
        _toneDecay = Decay(patch.ToneDecay);
        _modeDecay = Decay(patch.ModeDecay);
        _noiseDecay = Decay(patch.NoiseDecay);
        _dropDecay = Decay(patch.DropSeconds);
        _drop = patch.DropFrom - 1f;
        _tone = patch.ToneLevel;
        _mode = patch.ModeLevel;
        _noise = patch.NoiseLevel;
        _click = patch.ClickLevel;
        _attackStep = 1f / MathF.Max(1f, patch.Attack * SampleRate);
        _level = patch.Level * velocity;
        _driveNormal = 1f / Effects.SoftClip.Tanh(patch.Drive);
        _filter.SetCutoff(patch.NoiseHz, patch.NoiseResonance, SampleRate);
        _clickFilter.SetCutoff(4000f, 0.3f, SampleRate);
        // White noise jumps by up to twice its level from one sample to the next; rolling off the top octave keeps
        // snares and hats crisp without the sample-to-sample jumps a click detector flags.
        _air.SetCutoff(patch.Metallic || patch.NoiseHz >= 6000 ? 11000f : 5500f, 0f, SampleRate);
        _random = new NoiseSource(seed);
        for (int i = 0; i < 6; i++) _metalPhase[i] = _random.NextUnit();
    }

    private static float Decay(float seconds) => MathF.Exp(-1f / (MathF.Max(0.0005f, seconds) * SampleRate));

    public override float ReleaseSeconds => 0f;

    public override bool Render(Span<float> left, Span<float> right)
    {
        var p = _patch;
        float step = 1f / SampleRate;
        for (int i = 0; i < left.Length; i++)
        {
            _attack = MathF.Min(1f, _attack + _attackStep);
            _time += step;
            float s = 0f;
            if (_tone > 1e-3f)
            {
                _tonePhase += _toneIncrement * (1f + _drop);
                if (_tonePhase >= 1f) _tonePhase -= 1f;
                s += SineTable.Sin(_tonePhase) * _tone;
                _tone *= _toneDecay;
                _drop *= _dropDecay;
            }
            if (_mode > 1e-3f)
            {
                _modePhase += _toneIncrement * p.ModeRatio;
                if (_modePhase >= 1f) _modePhase -= 1f;
                s += SineTable.Sin(_modePhase) * _mode;
                _mode *= _modeDecay;
            }
            if (_noise > 1e-3f)
            {
                float source = p.Metallic ? Metal() : _random.Next();
                float filtered = p.Filter switch
                {
                    NoiseFilter.HighPass => _filter.HighPass(source),
                    NoiseFilter.BandPass => _filter.BandPass(source) * 1.6f,
                    _ => _filter.LowPass(source),
                };
                s += _air.LowPass(filtered) * _noise * BurstGate();
                _noise *= _noiseDecay;
            }
            if (_click > 1e-3f)
            {
                s += _clickFilter.BandPass(_random.Next()) * _click * 1.5f;
                _click *= 0.985f;
            }
            if (p.Drive > 1f) s = Effects.SoftClip.Tanh(s * p.Drive) * _driveNormal;
            s *= _attack * _level;
            left[i] += s * GainLeft;
            right[i] += s * GainRight;
        }
        return _tone > 1e-3f || _mode > 1e-3f || _noise > 1e-3f || _click > 1e-3f;
    }

    private float Metal()
    {
        float sum = 0f;
        for (int i = 0; i < 6; i++)
        {
            float dt = MetalHz[i] / SampleRate;
            float t = _metalPhase[i] + dt;
            if (t >= 1f) t -= 1f;
            _metalPhase[i] = t;
            sum += PolyBlep.Square(t, dt, 1f / dt);
        }
        return sum * (1f / 6f);
    }

    /// <summary>A clap's first bursts: each restarts the noise briefly before the tail takes over.</summary>
    private float BurstGate()
    {
        var p = _patch;
        if (p.Bursts <= 0) return 1f;
        float burstsEnd = p.Bursts * p.BurstSpacing;
        if (_time >= burstsEnd) return 0.8f;
        float within = _time % p.BurstSpacing / p.BurstSpacing;
        return 1.3f * MathF.Exp(-within * 4f);
    }
}
