using Cassette.Synth.Mixing;

namespace Cassette.Synth.Tests.Rendering;

/// <summary>
/// Properties every rendered track must have, checked on the decoded 16-bit output of every genre. The independent
/// analysers (ffmpeg, sox, bpm-tools, essentia) check the same in tests/Pester/MusicQuality.Tests.ps1.
/// </summary>
public class AudioSelfCheckTests
{
    public static TheoryData<string, int> Prompts() => new()
    {
        { "boom bap hip hop, Key: D minor, 90 BPM", 12 },
        { "lofi beats in F# minor", 12 },
        { "dark trap, Key: Bb minor, 140 BPM", 12 },
        { "deep house in Eb major", 12 },
        { "techno, C#m, 130 bpm", 12 },
        { "uplifting trance, A minor", 12 },
        { "liquid drum and bass in E minor", 12 },
        { "synthwave in G minor", 12 },
        { "happy pop in C major", 12 },
        { "punk rock in A major", 12 },
        { "funk in F# minor", 12 },
        { "disco in F major", 12 },
        { "roots reggae in G major", 12 },
        { "jazz trio in Bb major", 12 },
        { "ambient in Ab major", 12 },
        { "epic cinematic in D minor", 12 },
        { "solo piano in Db major", 12 },
        { "folk with acoustic guitar in G major", 12 },
        { "slow ambient drone in B minor, 60 BPM", 10 },
        { "xyzzy", 10 },
    };

    [Theory]
    [MemberData(nameof(Prompts))]
    public void TracksAreCleanLoudEnoughAndUnderTheCeiling(string prompt, int seconds)
    {
        var wav = WavSamples.Render(prompt, seconds);

        Assert.Equal(seconds * 44100, wav.Left.Length);
        Assert.True(MaxJump(wav.Left) < 0.35 && MaxJump(wav.Right) < 0.35, $"a sample-to-sample jump of {Math.Max(MaxJump(wav.Left), MaxJump(wav.Right)):0.00} (a click)");
        double truePeak = Math.Max(TruePeak.Max(wav.Left), TruePeak.Max(wav.Right));
        Assert.True(truePeak <= -1.2, $"true peak {truePeak:0.00} dBTP");
        double loudness = LoudnessMeter.Integrated(wav.Left, wav.Right, 44100);
        Assert.InRange(loudness, -15.5, -10.5);
        Assert.True(Math.Abs(wav.Left.Average()) < 0.002 && Math.Abs(wav.Right.Average()) < 0.002, "DC offset");
        Assert.True(SideBelowMidDb(wav) < 25, $"side {SideBelowMidDb(wav):0.0} dB below mid: nearly mono");
        Assert.True(LongestSilence(wav, 0.5, seconds - 4) < 0.05, "a silent gap");
    }

    private static float MaxJump(float[] x)
    {
        float max = 0;
        for (int i = 1; i < x.Length; i++) max = Math.Max(max, Math.Abs(x[i] - x[i - 1]));
        return max;
    }

    private static double SideBelowMidDb(WavSamples wav)
    {
        double mid = 0, side = 0;
        for (int i = 0; i < wav.Left.Length; i++)
        {
            double m = wav.Left[i] + wav.Right[i], s = wav.Left[i] - wav.Right[i];
            mid += m * m;
            side += s * s;
        }
        return 10 * Math.Log10(mid / Math.Max(side, 1e-20));
    }

    /// <summary>The longest run (seconds) below -60 dBFS between two times, as ffmpeg's silencedetect sees it.</summary>
    private static double LongestSilence(WavSamples wav, double from, double to)
    {
        float threshold = MathF.Pow(10f, -60f / 20f);
        int run = 0, longest = 0;
        for (int i = (int)(from * 44100); i < (int)(to * 44100); i++)
        {
            bool quiet = Math.Abs(wav.Left[i]) < threshold && Math.Abs(wav.Right[i]) < threshold;
            run = quiet ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest / 44100.0;
    }
}
