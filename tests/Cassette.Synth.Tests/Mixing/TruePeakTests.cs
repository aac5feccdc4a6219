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

    [Fact]
    public void TheLimiterGivesTheSameSamplesWholeAsOneBlockAtATime()
    {
        // The whole-track limiter finds later blocks' peaks on another core before earlier blocks are limited; one
        // block per call finds each block's peaks only after the block before it was limited, strictly in order.
        // Loud bursts that straddle every block edge make a peak read before its neighbour was limited show.
        int frames = 44100 * 3 + 1234;
        var random = new Random(5);
        var left = new float[frames];
        var right = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            float burst = (i + 300) % 4096 < 600 || i / 3000 % 2 == 0 ? 1.7f : 0.4f;
            left[i] = burst * (float)Math.Sin(2 * Math.PI * 7000 * i / 44100.0) + 0.1f * (float)(random.NextDouble() - 0.5);
            right[i] = burst * (float)Math.Sin(2 * Math.PI * 3100 * i / 44100.0 + 1.0);
        }
        var (inOrderLeft, inOrderRight) = ((float[])left.Clone(), (float[])right.Clone());
        float ceiling = MathF.Pow(10f, Mastering.CeilingDbtp / 20f);

        new TruePeakLimiter(ceiling, 44100).Process(left, right, 0, frames, frames);
        var inOrder = new TruePeakLimiter(ceiling, 44100);
        for (int start = 0; start < frames; start += 4096)
            inOrder.Process(inOrderLeft, inOrderRight, start, Math.Min(frames, start + 4096), frames);

        Assert.True(left.AsSpan().SequenceEqual(inOrderLeft), "left channel differs");
        Assert.True(right.AsSpan().SequenceEqual(inOrderRight), "right channel differs");
        Assert.True(TruePeak.Max(left) <= Mastering.CeilingDbtp + 0.1, $"true peak {TruePeak.Max(left):0.00} dBTP");
    }
}
