using Cassette.Synth.Mixing;

namespace Cassette.Synth.Tests.Mixing;

public class LoudnessMeterTests
{
    private static float[] Sine(double hertz, double dbfs, double seconds, int rate = 44100)
    {
        var samples = new float[(int)(seconds * rate)];
        double amplitude = Math.Pow(10, dbfs / 20);
        for (int i = 0; i < samples.Length; i++) samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hertz * i / rate));
        return samples;
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    public void ASineAt997HzReadsItsLevelInBothChannels(int rate)
    {
        // BS.1770-4: a 0 dBFS 997 Hz sine in one channel reads -3.01 LKFS, so -20 dBFS in both reads -20.
        var sine = Sine(997, -20, 5, rate);
        Assert.Equal(-20.0, LoudnessMeter.Integrated(sine, sine, rate), 1);
        Assert.Equal(-23.0, LoudnessMeter.Integrated(sine, new float[sine.Length], rate), 1);
    }

    [Fact]
    public void SilenceIsGatedOut()
    {
        var sine = Sine(997, -20, 5);
        var withSilence = sine.Concat(new float[5 * 44100]).ToArray();
        // Only the blocks that straddle the end of the tone count a little quieter.
        Assert.InRange(LoudnessMeter.Integrated(withSilence, withSilence, 44100), -20.3, -19.9);
        Assert.Equal(-70, LoudnessMeter.Integrated(new float[44100], new float[44100], 44100));
    }

    [Theory]
    [InlineData(4000, -16.7)] // the reference values are what ffmpeg's ebur128 reads for the same sines
    [InlineData(40, -26.3)]
    public void KWeightingLiftsHighsAndCutsLowsAsTheReferenceMeterDoes(double hertz, double lufs)
    {
        var sine = Sine(hertz, -20, 5);
        Assert.Equal(lufs, LoudnessMeter.Integrated(sine, sine, 44100), 0.15);
    }

    [Fact]
    public void BothWaysOfMeasuringAgree()
    {
        var left = Sine(440, -15, 4);
        var right = Sine(660, -18, 4);
        Assert.Equal(LoudnessMeter.Integrated(left, right, 44100), LoudnessMeter.IntegratedParallel(left, right, left.Length, 44100), 6);
    }
}
