namespace Cassette.Synth.Effects;

/// <summary>A one-pole low-pass (and its high-pass complement): the cheapest tone control and smoother.</summary>
internal struct OnePole
{
    private float _coefficient, _state;

    public OnePole(float cutoffHertz, float sampleRate) => SetCutoff(cutoffHertz, sampleRate);

    public void SetCutoff(float cutoffHertz, float sampleRate) =>
        _coefficient = 1f - MathF.Exp(-2f * MathF.PI * cutoffHertz / sampleRate);

    public float LowPass(float input)
    {
        _state += _coefficient * (input - _state);
        if (MathF.Abs(_state) < 1e-15f) _state = 0f;
        return _state;
    }

    public float HighPass(float input) => input - LowPass(input);
}
