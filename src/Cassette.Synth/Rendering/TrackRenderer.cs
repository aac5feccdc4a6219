using Cassette.Synth.Composition;
using Cassette.Synth.Mixing;

namespace Cassette.Synth.Rendering;

/// <summary>
/// Renders a score to 16-bit stereo PCM. The timeline goes in blocks of 8192 frames, pipelined over both cores:
/// while the parts render block k (each part a work item), the mix bus sums block k − 1 and runs the effects on
/// block k − 2. Mastering and encoding follow on the whole master (block floating point), the one large buffer.
/// Every part owns its state and the bus runs blocks in order, so the output does not depend on scheduling.
/// </summary>
internal static class TrackRenderer
{
    private const int BlockSize = CompactMaster.BlockFrames; // the bus writes one of the master's blocks per step

    public static void Render(Score score, float tonicHz, Stream destination, CancellationToken cancellationToken)
    {
        int frames = score.TotalFrames;
        var master = MasterBuffers.Rent(frames);
        try
        {
            Mix(score, tonicHz, master, cancellationToken);
            Mastering.Master(master, frames, score.Master.TargetLufs, Composer.SampleRate);
            cancellationToken.ThrowIfCancellationRequested();
            PcmEncoder.Write(master, frames, destination, score.Master.Seed);
        }
        finally
        {
            MasterBuffers.Return(master);
        }
    }

    private static void Mix(Score score, float tonicHz, CompactMaster master, CancellationToken cancellationToken)
    {
        // One arena for all parts' note caches: they fill the same slabs, so only the last one is partly empty.
        var arena = SampleArena.Rent();
        try
        {
            MixParts(score, tonicHz, arena, master, cancellationToken);
        }
        finally
        {
            SampleArena.Return(arena); // Parallel.For has returned, even when it threw: no part still renders
        }
    }

    private static void MixParts(Score score, float tonicHz, SampleArena arena, CompactMaster master, CancellationToken cancellationToken)
    {
        int frames = score.TotalFrames;
        var parts = score.Parts.Select((p, i) => new PartRenderer(p, BlockSize, tonicHz, Prompt.StableHash.Mix(score.Master.Seed, (ulong)i), arena)).ToArray();
        var kicks = score.Parts.Where(p => p.Role == PartRole.Drums)
            .SelectMany(p => p.Notes).Where(n => (int)n.Pitch == (int)DrumSound.Kick).Select(n => n.Start).ToList();
        var bus = new MixBus(score.Master, BlockSize, frames, new SidechainCurve(kicks, Composer.SampleRate), Composer.SampleRate);
        int blocks = (frames + BlockSize - 1) / BlockSize;

        // Step s renders block s, sums block s - 1 and finishes block s - 2: a part is one work item, and so is each
        // mix stage. Part buffers, mix slots and effect states alternate, so no item touches another's data.
        // Parallel.For, not the allocation-free StepRunner the limiter uses: here, with about 970 short steps per
        // 180 s track, StepRunner made renders about 10 % slower in wall time, so the 4 KB each call leaves stays.
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        try
        {
            for (int s = 0; s <= blocks + 1; s++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int step = s;
                Parallel.For(0, parts.Length + 2, options, item =>
                {
                    if (item == 0)
                    {
                        if (step >= 2) bus.Finish((step - 2) & 1, Start(step - 2), Count(step - 2, frames), master);
                    }
                    else if (item == 1)
                    {
                        if (step >= 1 && step - 1 < blocks) bus.Sum(parts, (step - 1) & 1, (step - 1) & 1, Start(step - 1), Count(step - 1, frames));
                    }
                    else if (step < blocks)
                    {
                        parts[item - 2].Render(Start(step), Count(step, frames), step & 1);
                    }
                });
            }
        }
        finally
        {
            // No item is running (Parallel.For returns or throws only once all its items have finished), so the
            // buffers and delay memory can go back for the next render, even when this one was cancelled or failed.
            bus.Release();
            foreach (var part in parts) part.Release();
        }
    }

    private static long Start(int block) => (long)block * BlockSize;

    private static int Count(int block, int frames) => (int)Math.Min(BlockSize, frames - Start(block));
}
