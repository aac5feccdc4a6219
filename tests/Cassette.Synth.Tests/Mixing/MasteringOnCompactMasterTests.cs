using Cassette.Synth.Mixing;

namespace Cassette.Synth.Tests.Mixing;

/// <summary>
/// Each mastering stage on the compact master against the same stage on float arrays. The two channels differ and
/// the track is several of every stage's stretches long with a short last one, so a stage that skipped a stretch or
/// swapped the channels would be far off; what may differ is the master's rounding, 2^-23 of a block's peak.
/// </summary>
public class MasteringOnCompactMasterTests
{
    private const int Frames = 5 * 65536 + 12345;
    private const double Tolerance = 1e-5; // a few hundred of the master's steps at full scale, far under 16-bit's 3e-5

    [Fact]
    public void TheLoudnessMeterMeasuresTheSame()
    {
        var (left, right) = Track();
        var master = Compact(left, right);
        var (leftBack, rightBack) = Floats(master);
        Assert.Equal(LoudnessMeter.Integrated(leftBack, rightBack, 44100), LoudnessMeter.IntegratedParallel(master, Frames, 44100), 9);
        Assert.Equal(LoudnessMeter.Integrated(left, right, 44100), LoudnessMeter.IntegratedParallel(master, Frames, 44100), 4);
        // Swapping in a silent right channel changes the reading: the meter reads both channels of the master.
        var leftOnly = Compact(left, new float[Frames]);
        Assert.True(LoudnessMeter.IntegratedParallel(master, Frames, 44100) - LoudnessMeter.IntegratedParallel(leftOnly, Frames, 44100) > 1);
    }

    [Fact]
    public void TheBusCompressorScalesTheSame()
    {
        var (left, right) = Track();
        var master = Compact(left, right);
        var compressor = new BusCompressor(-12f, 44100);
        compressor.Process(left, right, Frames, 1.7f);
        compressor.Process(master, Frames, 1.7f);
        AssertClose(left, right, master);
    }

    [Fact]
    public void TheTrimScalesEveryBlockOfItsChannel()
    {
        var (left, right) = Track();
        var master = Compact(left, right);
        Mastering.Scale(master, 0, Frames, 0.7f);
        Mastering.Scale(master, 1, Frames, 1.3f);
        for (int i = 0; i < Frames; i++)
        {
            left[i] *= 0.7f;
            right[i] *= 1.3f;
        }
        AssertClose(left, right, master);
    }

    [Fact]
    public void TheLimiterLimitsTheSameAndKeepsTruePeaksUnderTheCeiling()
    {
        var (left, right) = Track();
        var master = Compact(left, right);
        float ceiling = MathF.Pow(10f, Mastering.CeilingDbtp / 20f);
        new TruePeakLimiter(ceiling, 44100).Process(left, right, 0, Frames, Frames);
        new TruePeakLimiter(ceiling, 44100).Process(master, Frames);
        AssertClose(left, right, master);
        var (leftBack, rightBack) = Floats(master);
        Assert.True(TruePeak.Max(leftBack) <= Mastering.CeilingDbtp + 0.1, $"left true peak {TruePeak.Max(leftBack):0.00} dBTP");
        Assert.True(TruePeak.Max(rightBack) <= Mastering.CeilingDbtp + 0.1, $"right true peak {TruePeak.Max(rightBack):0.00} dBTP");
    }

    [Fact]
    public void ThePcmEncoderWritesWhatTheMasterHolds()
    {
        var (left, right) = Track();
        for (int i = 0; i < Frames; i++)
        {
            left[i] *= 0.5f;
            right[i] *= 0.5f;
        }
        var master = Compact(left, right);
        var (leftBack, rightBack) = Floats(master);
        var expected = new byte[Frames * 4];
        PcmEncoder.Encode(leftBack, rightBack, 0, Frames, expected, 9, 0);
        using var written = new MemoryStream();
        PcmEncoder.Write(master, Frames, written, 9);
        Assert.True(written.ToArray().AsSpan().SequenceEqual(expected), "the encoded master differs from its samples encoded at once");
    }

    /// <summary>Loud tone bursts (over full scale, so the limiter works) on a bed; the channels differ in pitch and timing.</summary>
    private static (float[] Left, float[] Right) Track()
    {
        var random = new Random(11);
        var left = new float[Frames];
        var right = new float[Frames];
        for (int i = 0; i < Frames; i++)
        {
            float burst = i / 9000 % 3 == 0 ? 1.6f : 0.25f;
            float other = (i + 4500) / 7000 % 2 == 0 ? 1.3f : 0.1f;
            left[i] = burst * MathF.Sin(2 * MathF.PI * 5000 * i / 44100f) + 0.05f * (float)(random.NextDouble() - 0.5);
            right[i] = other * MathF.Sin(2 * MathF.PI * 300 * i / 44100f + 1f);
        }
        return (left, right);
    }

    private static CompactMaster Compact(float[] left, float[] right)
    {
        var master = new CompactMaster(Frames);
        master.Write(0, 0, left);
        master.Write(1, 0, right);
        return master;
    }

    private static (float[] Left, float[] Right) Floats(CompactMaster master)
    {
        var left = new float[Frames];
        var right = new float[Frames];
        master.Read(0, 0, left);
        master.Read(1, 0, right);
        return (left, right);
    }

    private static void AssertClose(float[] left, float[] right, CompactMaster master)
    {
        var (leftBack, rightBack) = Floats(master);
        AssertClose("left", left, leftBack);
        AssertClose("right", right, rightBack);
    }

    private static void AssertClose(string channel, float[] expected, float[] actual)
    {
        int worst = 0;
        for (int i = 1; i < Frames; i++)
            if (Math.Abs(actual[i] - expected[i]) > Math.Abs(actual[worst] - expected[worst])) worst = i;
        Assert.True(Math.Abs(actual[worst] - expected[worst]) <= Tolerance,
            $"{channel} frame {worst}: {actual[worst]} on the master, {expected[worst]} in floats");
    }
}
