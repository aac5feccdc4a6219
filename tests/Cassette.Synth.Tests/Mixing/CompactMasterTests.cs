using Cassette.Synth.Mixing;

namespace Cassette.Synth.Tests.Mixing;

/// <summary>The master's block floating point: what goes in comes back within 2^-23 of its block's peak.</summary>
public class CompactMasterTests
{
    private const int Block = CompactMaster.BlockFrames;

    [Theory]
    [InlineData(1f)]
    [InlineData(0.999999f)]
    [InlineData(3.7f)] // the mix before mastering runs over full scale
    [InlineData(1000f)]
    [InlineData(1e-5f)]
    [InlineData(1e-36f)] // near the smallest normal float
    [InlineData(3e-41f)] // subnormal: the block's scale is beyond a float's range
    public void EachBlockComesBackWithinItsPeaksBound(float peak)
    {
        int frames = 3 * Block + 1000; // the last block is short
        var samples = Signal(frames, peak, seed: 1);
        var master = new CompactMaster(frames);
        master.Write(0, 0, samples);
        var back = new float[frames];
        master.Read(0, 0, back);

        for (int block = 0; block * Block < frames; block++)
        {
            int start = block * Block, count = Math.Min(Block, frames - start);
            float blockPeak = samples.AsSpan(start, count).ToArray().Max(MathF.Abs);
            // Half a step of 2^(exponent - 23), at most 2^-23 of the peak; a subnormal result rounds once more.
            double bound = blockPeak * Math.ScaleB(1.0, -23) + Math.ScaleB(1.0, -149);
            int worst = start;
            for (int i = start; i < start + count; i++)
                if (Math.Abs(back[i] - (double)samples[i]) > Math.Abs(back[worst] - (double)samples[worst])) worst = i;
            Assert.True(Math.Abs(back[worst] - (double)samples[worst]) <= bound, $"frame {worst}: {samples[worst]} came back as {back[worst]} (block peak {blockPeak})");
        }
    }

    [Fact]
    public void ALoudBlocksNeighboursKeepTheirOwnPrecision()
    {
        // One exponent per block: a quiet block after a loud one is not quantised on the loud one's scale.
        int frames = 2 * Block;
        var samples = new float[frames];
        Signal(Block, 2f, seed: 2).CopyTo(samples, 0);
        Signal(Block, 1e-4f, seed: 3).CopyTo(samples, Block);
        var master = new CompactMaster(frames);
        master.Write(1, 0, samples);
        var back = new float[frames];
        master.Read(1, 0, back);
        double worst = Enumerable.Range(Block, Block).Max(i => Math.Abs(back[i] - (double)samples[i]));
        Assert.True(worst <= 1e-4 * Math.ScaleB(1.0, -23), $"error {worst} in the quiet block");
    }

    [Fact]
    public void ASilentBlockReadsBackAsExactZeros()
    {
        int frames = 3 * Block;
        var samples = Signal(frames, 1f, seed: 4);
        samples.AsSpan(Block, Block).Clear();
        samples[Block + 17] = -0f;
        var master = new CompactMaster(frames);
        master.Write(0, 0, samples);
        var back = new float[Block];
        back.AsSpan().Fill(5f);
        master.Read(0, Block, back);
        Assert.True(back.AsSpan().IndexOfAnyExcept(0f) < 0, "a silent block read back non-zero samples");
    }

    [Fact]
    public void ReadsAcrossBlockEdgesFromAnyFrame()
    {
        int frames = 4 * Block + 77;
        var samples = Signal(frames, 0.8f, seed: 5);
        var master = new CompactMaster(frames);
        master.Write(0, 0, samples);
        var whole = new float[frames];
        master.Read(0, 0, whole);
        foreach (var (from, length) in new[] { (Block - 3, 10), (1, 3 * Block), (4 * Block, 77), (frames - 1, 1), (123, 0) })
        {
            var part = new float[length];
            master.Read(0, from, part);
            Assert.True(part.AsSpan().SequenceEqual(whole.AsSpan(from, length)), $"read of {length} from {from}");
        }
    }

    [Fact]
    public void RewritingABlockLeavesTheNextAndTheOtherChannelAlone()
    {
        // A block's last sample must not spill into the next block's bytes, which another thread may own.
        int frames = 2 * Block;
        var left = Signal(frames, 0.9f, seed: 6);
        var right = Signal(frames, 0.5f, seed: 7);
        var master = new CompactMaster(frames);
        master.Write(0, 0, left);
        master.Write(1, 0, right);
        var before = new float[frames];
        master.Read(0, 0, before);

        var louder = left.AsSpan(0, Block).ToArray().Select(x => -3f * x).ToArray();
        master.Write(0, 0, louder);
        var after = new float[frames];
        master.Read(0, 0, after);
        Assert.True(after.AsSpan(Block).SequenceEqual(before.AsSpan(Block)), "the next block changed");
        var rightBack = new float[frames];
        master.Read(1, 0, rightBack);
        double worst = Enumerable.Range(0, frames).Max(i => Math.Abs(rightBack[i] - (double)right[i]));
        Assert.True(worst <= 0.5 * Math.ScaleB(1.0, -23), $"error {worst} in the right channel");
    }

    [Fact]
    public void AWriteMustStartABlockAndStayInside()
    {
        var master = new CompactMaster(2 * Block);
        Assert.Throws<ArgumentOutOfRangeException>(() => master.Write(0, 100, new float[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => master.Write(0, Block, new float[Block + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => master.Read(0, Block, new float[Block + 1]));
    }

    /// <summary>Noise and a tone whose largest magnitude is exactly <paramref name="peak"/> in each block.</summary>
    internal static float[] Signal(int frames, float peak, int seed)
    {
        var random = new Random(seed);
        var samples = new float[frames];
        for (int i = 0; i < frames; i++)
            samples[i] = (float)(0.6 * Math.Sin(i * 0.05 + seed) + 0.39 * (random.NextDouble() * 2 - 1)) * peak;
        for (int start = 0; start < frames; start += Block) samples[Math.Min(frames - 1, start + 100)] = -peak;
        return samples;
    }
}
