using Cassette.Synth.Composition;
using Cassette.Synth.Instruments;
using Cassette.Synth.Mixing;

namespace Cassette.Synth.Rendering;

/// <summary>
/// Renders a score to 16-bit stereo PCM. The timeline goes in blocks of 8192 frames; within a block the parts
/// render on both cores, then the mix bus (sends, reverb, delay) runs. Mastering and encoding follow on the whole
/// float master, the one large buffer.
/// </summary>
internal static class TrackRenderer
{
    private const int BlockSize = 8192;

    public static byte[] Render(Score score, float tonicHz, CancellationToken cancellationToken)
    {
        int frames = score.TotalFrames;
        var left = new float[frames];
        var right = new float[frames];
        var parts = score.Parts.Select((p, i) => new PartRenderer(p, BlockSize, tonicHz, Prompt.StableHash.Mix(score.Master.Seed, (ulong)i))).ToArray();
        var kicks = score.Parts.Where(p => p.Role == PartRole.Drums)
            .SelectMany(p => p.Notes).Where(n => (int)n.Pitch == (int)DrumSound.Kick).Select(n => n.Start).ToList();
        var bus = new MixBus(score.Master, BlockSize, frames, new SidechainCurve(kicks, Composer.SampleRate), Composer.SampleRate);
        var options = new ParallelOptions { CancellationToken = cancellationToken };

        for (long start = 0; start < frames; start += BlockSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(BlockSize, frames - start);
            long blockStart = start;
            Parallel.For(0, parts.Length, options, i => parts[i].Render(blockStart, count));
            bus.Mix(parts, start, count, left, right);
        }

        Mastering.Master(left, right, frames, score.Master.TargetLufs, Composer.SampleRate);
        cancellationToken.ThrowIfCancellationRequested();

        var pcm = new byte[frames * 4];
        int half = frames / 2 / PcmEncoder.Block * PcmEncoder.Block;
        Parallel.Invoke(
            () => PcmEncoder.Encode(left, right, 0, half, pcm, score.Master.Seed),
            () => PcmEncoder.Encode(left, right, half, frames, pcm, score.Master.Seed));
        return pcm;
    }
}
