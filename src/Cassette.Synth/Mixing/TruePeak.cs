using System.Runtime.Intrinsics;

namespace Cassette.Synth.Mixing;

/// <summary>
/// Inter-sample peaks by 4× oversampling (as BS.1770-4 Annex 2): three Hann-windowed-sinc fractional-delay
/// interpolators of 12 taps find the signal between each pair of samples.
/// </summary>
internal static class TruePeak
{
    private const int Taps = 12;
    private const int Before = Taps / 2 - 1; // taps reach 5 samples back and 6 ahead

    /// <summary>How many samples before frame n <see cref="At"/> reads: the limiter must scale them before it asks.</summary>
    public const int Reach = Before;

    /// <summary>How far past frame n <see cref="At"/> reads: frames before n + Ahead.</summary>
    public const int Ahead = Taps - Before;
    private static readonly float[][] Phases = Build();

    private static float[][] Build()
    {
        var phases = new float[3][];
        for (int p = 0; p < 3; p++)
        {
            double fraction = (p + 1) / 4.0;
            var taps = new float[Taps];
            double sum = 0;
            for (int j = 0; j < Taps; j++)
            {
                double x = j - Before - fraction;
                double sinc = Math.Abs(x) < 1e-12 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
                double window = 0.5 + 0.5 * Math.Cos(Math.PI * x / (Taps / 2.0));
                taps[j] = (float)(sinc * window);
                sum += taps[j];
            }
            for (int j = 0; j < Taps; j++) taps[j] = (float)(taps[j] / sum);
            phases[p] = taps;
        }
        return phases;
    }

    /// <summary>The largest magnitude at frame <paramref name="n"/> or between it and the next frame.</summary>
    public static float At(ReadOnlySpan<float> x, int n)
    {
        float peak = MathF.Abs(x[n]);
        if (n - Before < 0 || n - Before + Taps > x.Length) return peak;
        // Twelve taps are three 4-wide vectors: the limiter calls this for every loud frame.
        var window = x.Slice(n - Before, Taps);
        var a = Vector128.Create(window[..4]);
        var b = Vector128.Create(window[4..8]);
        var c = Vector128.Create(window[8..12]);
        foreach (var taps in VectorPhases)
        {
            float y = Vector128.Sum(a * taps.A + b * taps.B + c * taps.C);
            peak = MathF.Max(peak, MathF.Abs(y));
        }
        return peak;
    }

    private static readonly (Vector128<float> A, Vector128<float> B, Vector128<float> C)[] VectorPhases =
        Phases.Select(p => (Vector128.Create(p.AsSpan(0, 4)), Vector128.Create(p.AsSpan(4, 4)), Vector128.Create(p.AsSpan(8, 4)))).ToArray();

    /// <summary>The true peak of a whole signal, in dBTP.</summary>
    public static double Max(ReadOnlySpan<float> x)
    {
        float peak = 0f;
        for (int n = 0; n < x.Length; n++)
            if (MathF.Abs(x[n]) > peak * 0.5f) peak = MathF.Max(peak, At(x, n));
        return 20 * Math.Log10(Math.Max(peak, 1e-10f));
    }
}
