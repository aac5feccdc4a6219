namespace Cassette.Synth.Instruments;

/// <summary>
/// Band-limited saw and square by PolyBLEP (Välimäki et al. 2010): the naive waveform plus a two-sample polynomial
/// residual at each discontinuity removes most of the aliasing at a few operations per sample.
/// </summary>
internal static class PolyBlep
{
    /// <summary>The residual for a phase t in [0, 1) advancing dt per sample (inverseDt = 1/dt, to avoid dividing).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float Residual(float t, float dt, float inverseDt)
    {
        if (t < dt)
        {
            float u = t * inverseDt;
            return u + u - u * u - 1f;
        }
        if (t > 1f - dt)
        {
            float u = (t - 1f) * inverseDt;
            return u * u + u + u + 1f;
        }
        return 0f;
    }

    public static float Saw(float t, float dt, float inverseDt) => 2f * t - 1f - Residual(t, dt, inverseDt);

    public static float Square(float t, float dt, float inverseDt)
    {
        float shifted = t + 0.5f;
        if (shifted >= 1f) shifted -= 1f;
        return (t < 0.5f ? 1f : -1f) + Residual(t, dt, inverseDt) - Residual(shifted, dt, inverseDt);
    }
}
