using Cassette.Synth.Mixing;

namespace Cassette.Synth.Tests.Mixing;

public class TruePeakTests
{
    [Fact]
    public void FindsThePeakBetweenSamples()
    {
        // A quarter-rate sine sampled 45° off its crest: every sample is at 0.707 of the real peak.
        var x = new float[4096];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(0.9 * Math.Sin(Math.PI / 2 * i + Math.PI / 4));
        double samplePeak = 20 * Math.Log10(x.Max(Math.Abs));
        Assert.Equal(-3.93, samplePeak, 1);
        Assert.InRange(TruePeak.Max(x), 20 * Math.Log10(0.9) - 0.3, 20 * Math.Log10(0.9) + 0.3);
    }

    [Fact]
    public void TheLimiterKeepsTruePeaksUnderTheCeiling()
    {
        var random = new Random(3);
        int frames = 44100 * 3;
        var left = new float[frames];
        var right = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            // Loud bursts of a 5 kHz tone over a quieter bed: peaks well above the ceiling, and between samples.
            float burst = i / 4410 % 3 == 0 ? 1.6f : 0.3f;
            left[i] = burst * (float)Math.Sin(2 * Math.PI * 5000 * i / 44100.0 + 0.3) + 0.05f * (float)(random.NextDouble() - 0.5);
            right[i] = 0.8f * left[i];
        }
        float ceiling = MathF.Pow(10f, Mastering.CeilingDbtp / 20f);
        new TruePeakLimiter(ceiling, 44100).Process(left, right, 0, frames, frames);
        Assert.True(TruePeak.Max(left) <= Mastering.CeilingDbtp + 0.1, $"true peak {TruePeak.Max(left):0.00} dBTP");
        // Once the limiter has released, quiet passages keep their level.
        Assert.InRange(left[12000..12100].Max(x => Math.Abs(x)), 0.28f, 0.36f);
    }
}
