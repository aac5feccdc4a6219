namespace Cassette.Synth.Instruments;

/// <summary>
/// Band-limited saw and square by PolyBLEP (Välimäki et al. 2010): the naive waveform plus a two-sample polynomial
/// residual at each discontinuity removes most of the aliasing at a few operations per sample.
/// </summary>
internal static class PolyBlep
{
    /// <summary>The residual for a phase t in [0, 1) advancing dt per sample.</summary>
    public static float Residual(float t, float dt)
    {
        if (t < dt)
        {
            float u = t / dt;
            return u + u - u * u - 1f;
        }
        if (t > 1f - dt)
        {
            float u = (t - 1f) / dt;
            return u * u + u + u + 1f;
        }
        return 0f;
    }

    public static float Saw(float t, float dt) => 2f * t - 1f - Residual(t, dt);

    public static float Square(float t, float dt, float width = 0.5f)
    {
        float shifted = t + 1f - width;
        shifted -= (int)shifted;
        return (t < width ? 1f : -1f) + Residual(t, dt) - Residual(shifted, dt);
    }
}
