namespace Cassette.Synth.Effects;

/// <summary>
/// Topology-preserving (zero-delay feedback) state-variable filter after Zavalishin: stays stable and click-free
/// while its cutoff moves, which an RBJ biquad does not.
/// </summary>
internal struct StateVariableFilter
{
    private float _g, _k, _a1, _a2, _a3;
    private float _ic1, _ic2;

    public void SetCutoff(float hertz, float resonance, float sampleRate)
    {
        hertz = Math.Clamp(hertz, 10f, sampleRate * 0.45f);
        _g = MathF.Tan(MathF.PI * hertz / sampleRate);
        _k = 2f - 2f * Math.Clamp(resonance, 0f, 0.98f);
        _a1 = 1f / (1f + _g * (_g + _k));
        _a2 = _g * _a1;
        _a3 = _g * _a2;
    }

    public float LowPass(float input)
    {
        Step(input, out _, out float low);
        return low;
    }

    public float BandPass(float input)
    {
        Step(input, out float band, out _);
        return band;
    }

    public float HighPass(float input)
    {
        Step(input, out float band, out float low);
        return input - _k * band - low;
    }

    private void Step(float input, out float band, out float low)
    {
        float v3 = input - _ic2;
        float v1 = _a1 * _ic1 + _a2 * v3;
        float v2 = _ic2 + _a2 * _ic1 + _a3 * v3;
        _ic1 = 2f * v1 - _ic1;
        _ic2 = 2f * v2 - _ic2;
        // Flush tiny states: .NET has no flush-to-zero switch and denormals cost 100x.
        if (MathF.Abs(_ic1) < 1e-15f) _ic1 = 0f;
        if (MathF.Abs(_ic2) < 1e-15f) _ic2 = 0f;
        band = v1;
        low = v2;
    }
}
