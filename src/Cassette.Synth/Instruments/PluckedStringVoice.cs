namespace Cassette.Synth.Instruments;

/// <summary>
/// Extended Karplus–Strong (Jaffe and Smith; JOS, Physical Audio Signal Processing): a delay line of one period
/// with a two-point loss filter, a first-order allpass for the fractional delay so the string is in tune, a
/// noise excitation shaped by pick direction and position, and a damped release instead of a cut.
/// </summary>
internal sealed class PluckedStringVoice : Voice
{
    private readonly float[] _line;
    private readonly int _length;
    private readonly float _allpass, _damping;
    private readonly float _loopGain;
    private float _previous, _allpassState, _allpassInput;
    private int _position;
    private readonly float _releaseStep, _level;
    private bool _released;
    private Effects.OnePole _tone;

    public PluckedStringVoice(PluckedStringPatch patch, long start, int length, float pitch, float velocity, float pan, ulong seed)
        : base(start, length, pan)
    {
        float frequency = Frequency(pitch);
        float period = SampleRate / frequency;
        // Loop delay = N + 1/2 (loss filter) + η (allpass); keep η in [0.1, 1.1) for a well-behaved allpass.
        int n = (int)MathF.Floor(period - 0.5f - 0.1f);
        float eta = period - 0.5f - n;
        _length = Math.Max(2, n);
        _allpass = (1f - eta) / (1f + eta);
        _damping = patch.Damping;
        float ring = patch.RingSeconds * Math.Clamp(MathF.Sqrt(261.6f / frequency), 0.5f, 2f);
        _loopGain = MathF.Pow(0.001f, 1f / (frequency * ring));
        _releaseStep = MathF.Pow(0.001f, 1f / (frequency * MathF.Max(0.01f, patch.Release)));
        _level = patch.Level * (0.3f + 0.7f * velocity);
        _line = new float[_length];
        _tone = new Effects.OnePole(patch.ToneHz, SampleRate);
        Excite(patch, seed, velocity);
    }

    private void Excite(PluckedStringPatch patch, ulong seed, float velocity)
    {
        var noise = new NoiseSource(seed);
        float state = 0f, softness = Math.Clamp(patch.PickSoftness + 0.3f * (1f - velocity), 0f, 0.95f);
        var burst = new float[_length];
        float mean = 0f;
        for (int i = 0; i < _length; i++)
        {
            state = (1f - softness) * noise.Next() + softness * state;
            burst[i] = state;
            mean += state;
        }
        mean /= _length;
        int pick = Math.Clamp((int)MathF.Round(patch.PickPosition * _length), 1, _length - 1);
        for (int i = 0; i < _length; i++)
            _line[i] = (burst[i] - mean) - (i >= pick ? burst[i - pick] - mean : 0f);
    }

    public override float ReleaseSeconds => 0.08f;

    public override bool Render(Span<float> left, Span<float> right)
    {
        var line = _line;
        float sumOfSquares = 0f;
        for (int i = 0; i < left.Length; i++)
        {
            if (--HeldSamples == 0) _released = true;
            float current = line[_position];
            float lossy = (1f - _damping) * current + _damping * _previous;
            _previous = current;
            // First-order allpass: y = C·x + x₁ − C·y₁.
            float tuned = _allpass * lossy + _allpassInput - _allpass * _allpassState;
            _allpassInput = lossy;
            _allpassState = tuned;
            float next = tuned * _loopGain * (_released ? _releaseStep : 1f);
            if (MathF.Abs(next) < 1e-15f) next = 0f;
            line[_position] = next;
            if (++_position >= _length) _position = 0;
            float s = _tone.LowPass(current) * _level;
            sumOfSquares += current * current;
            left[i] += s * GainLeft;
            right[i] += s * GainRight;
        }
        // The string has died away (-80 dB): a release ramps the loop gain down, so this comes within ~0.1 s.
        return sumOfSquares > 1e-8f * left.Length;
    }
}
