namespace Cassette.Synth.Instruments;

/// <summary>
/// Additive partials as rotating phasors (one complex multiply per partial per sample, the decay folded into the
/// rotation), plus a short hammer or mallet noise. Cheap enough for chords of eight-partial pianos.
/// </summary>
internal sealed class ModalVoice : Voice
{
    private readonly ModalPatch _patch;
    private readonly float[] _re, _im, _cos, _sin;
    private readonly float _velocity;
    private Envelope _amp;
    private NoiseSource _noise;
    private float _noiseLevel, _noiseState, _time;
    private readonly float _noiseDecay;

    public ModalVoice(ModalPatch patch, long start, int length, float pitch, float velocity, float pan, ulong seed)
        : base(start, length, pan)
    {
        _patch = patch;
        _velocity = velocity;
        float f0 = Frequency(pitch);
        int count = patch.Ratios.Length > 0 ? patch.Ratios.Length : patch.Partials;
        var re = new List<float>(count);
        var im = new List<float>(count);
        var cos = new List<float>(count);
        var sin = new List<float>(count);
        float registerDecay = patch.DecaySeconds * Math.Clamp(MathF.Pow(261.6f / f0, 0.5f), 0.4f, 2.5f);
        float tilt = patch.VelocityBrightness * (1f - velocity);
        for (int n = 1; n <= count; n++)
        {
            float ratio = patch.Ratios.Length > 0 ? patch.Ratios[n - 1] : n * MathF.Sqrt(1f + patch.Stiffness * n * n);
            float frequency = f0 * ratio;
            if (frequency > 16000f) break; // keep well under Nyquist, and the high band under the click limit
            float amplitude = (patch.Amplitudes.Length >= n ? patch.Amplitudes[n - 1] : 1f / n) * MathF.Pow(n, -tilt);
            float tau = registerDecay / (1f + patch.DecaySlope * (n - 1));
            float decay = tau <= 0 ? 1f : MathF.Exp(-1f / (tau * SampleRate));
            float w = 2f * MathF.PI * frequency / SampleRate;
            // Start at sine phase (zero) so a note begins from silence.
            re.Add(amplitude);
            im.Add(0f);
            cos.Add(MathF.Cos(w) * decay);
            sin.Add(MathF.Sin(w) * decay);
        }
        _re = re.ToArray();
        _im = im.ToArray();
        _cos = cos.ToArray();
        _sin = sin.ToArray();
        _amp = new Envelope(patch.Attack, 0f, 1f, patch.Release, SampleRate);
        _noise = new NoiseSource(seed);
        _noiseLevel = patch.NoiseLevel * velocity;
        _noiseDecay = MathF.Exp(-1f / (0.004f * SampleRate));
    }

    public override float ReleaseSeconds => _patch.Release;

    public override bool Render(Span<float> left, Span<float> right)
    {
        var p = _patch;
        float level = p.Level * (0.25f + 0.75f * _velocity);
        int count = _re.Length;
        var re = _re.AsSpan(0, count);
        var im = _im.AsSpan(0, count);
        var cos = _cos.AsSpan(0, count);
        var sin = _sin.AsSpan(0, count);
        for (int i = 0; i < left.Length; i++)
        {
            if (--HeldSamples == 0) _amp.Release();
            float envelope = _amp.Next() * level;
            float s = 0f;
            for (int n = 0; n < count; n++)
            {
                float r = re[n] * cos[n] - im[n] * sin[n];
                float m = re[n] * sin[n] + im[n] * cos[n];
                re[n] = r;
                im[n] = m;
                s += m;
            }
            if (_noiseLevel > 1e-4f)
            {
                _noiseState += 0.5f * (_noise.Next() - _noiseState);
                s += _noiseState * _noiseLevel;
                _noiseLevel *= _noiseDecay;
            }
            if (p.TremoloDepth > 0)
            {
                _time += 1f / SampleRate;
                s *= 1f - p.TremoloDepth * (0.5f + 0.5f * SineTable.Sin(p.TremoloHz * _time));
            }
            s *= envelope;
            left[i] += s * GainLeft;
            right[i] += s * GainRight;
        }
        // Died away on its own (all partials decayed) or released.
        if (count > 0 && MathF.Abs(im[0]) + MathF.Abs(re[0]) < 1e-4f && p.DecaySeconds > 0) return false;
        return !_amp.Finished;
    }
}
