namespace Cassette.Synth.Effects;

/// <summary>
/// A guitar amp: tanh saturation, then a cabinet-like 12 dB/octave low-pass at 3.5 kHz. The clipped edges would
/// otherwise jump by almost the full level from one sample to the next.
/// </summary>
internal struct Overdrive
{
    private readonly float _drive, _normal;
    private StateVariableFilter _cabinet;
    private OnePole _fizz;

    public Overdrive(float drive, float sampleRate)
    {
        _drive = drive;
        _normal = 1f / SoftClip.Tanh(drive);
        _cabinet = default;
        _cabinet.SetCutoff(3500f, 0.1f, sampleRate);
        _fizz = new OnePole(7000f, sampleRate);
    }

    public float Process(float x) => _fizz.LowPass(_cabinet.LowPass(SoftClip.Tanh(x * _drive) * _normal * 0.35f));
}
