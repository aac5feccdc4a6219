using Cassette.Synth.Composition;
using Cassette.Synth.Mixing;

namespace Cassette.Synth.Rendering;

/// <summary>
/// Renders a score to 16-bit stereo PCM. The timeline goes in blocks of 8192 frames, pipelined over both cores:
/// while the parts render block k (each part a work item), the mix bus (sends, reverb, delay) mixes block k − 1
/// from the other buffer set. Mastering and encoding follow on the whole float master, the one large buffer.
/// Every part owns its state and the bus runs blocks in order, so the output does not depend on scheduling.
/// </summary>
internal static class TrackRenderer
{
    private const int BlockSize = 8192;

    public static void Render(Score score, float tonicHz, Stream destination, CancellationToken cancellationToken)
    {
        int frames = score.TotalFrames;
        var buffers = MasterBuffers.Rent(frames);
        var (left, right) = buffers;
        try
        {
            Mix(score, tonicHz, left, right, cancellationToken);
            Mastering.Master(left, right, frames, score.Master.TargetLufs, Composer.SampleRate);
            cancellationToken.ThrowIfCancellationRequested();
            PcmEncoder.Write(left, right, frames, destination, score.Master.Seed);
        }
        finally
        {
            MasterBuffers.Return(buffers);
        }
    }

    private static void Mix(Score score, float tonicHz, float[] left, float[] right, CancellationToken cancellationToken)
    {
        int frames = score.TotalFrames;
        var parts = score.Parts.Select((p, i) => new PartRenderer(p, BlockSize, tonicHz, Prompt.StableHash.Mix(score.Master.Seed, (ulong)i))).ToArray();
        var kicks = score.Parts.Where(p => p.Role == PartRole.Drums)
            .SelectMany(p => p.Notes).Where(n => (int)n.Pitch == (int)DrumSound.Kick).Select(n => n.Start).ToList();
        var bus = new MixBus(score.Master, BlockSize, frames, new SidechainCurve(kicks, Composer.SampleRate), Composer.SampleRate);
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        int blocks = (frames + BlockSize - 1) / BlockSize;

        // Step b renders block b (if any) and mixes block b - 1 (if any): one work item per part plus one for the bus.
        for (int b = 0; b <= blocks; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int step = b;
            Parallel.For(0, parts.Length + 1, options, item =>
            {
                if (item == 0)
                {
                    if (step > 0) MixBlock(bus, parts, step - 1, frames, left, right);
                }
                else if (step < blocks)
                {
                    long start = (long)step * BlockSize;
                    parts[item - 1].Render(start, (int)Math.Min(BlockSize, frames - start), step & 1);
                }
            });
        }
        foreach (var part in parts) part.ReleaseCache();
    }

    private static void MixBlock(MixBus bus, PartRenderer[] parts, int block, int frames, float[] left, float[] right)
    {
        long start = (long)block * BlockSize;
        bus.Mix(parts, block & 1, start, (int)Math.Min(BlockSize, frames - start), left, right);
    }
}
