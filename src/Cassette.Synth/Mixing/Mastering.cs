namespace Cassette.Synth.Mixing;

/// <summary>
/// From the float mix to the delivered level: normalise to the target loudness (with headroom for what the
/// limiter takes), glue with the bus compressor, measure again and trim, limit true peaks to -1.5 dBTP, then
/// measure once more and, if the limiter took more than half a decibel of loudness, give it back and limit again.
/// Every stage reads the compact master a stretch at a time and writes back what it changed.
/// </summary>
internal static class Mastering
{
    public const float CeilingDbtp = -1.5f;

    public static void Master(CompactMaster master, int frames, double targetLufs, int sampleRate)
    {
        float ceiling = MathF.Pow(10f, CeilingDbtp / 20f);
        double before = LoudnessMeter.IntegratedParallel(master, frames, sampleRate);
        float gain = before <= -69 ? 1f : (float)Math.Pow(10, (targetLufs + 0.3 - before) / 20);
        var compressor = new BusCompressor((float)targetLufs + 3f, sampleRate);
        compressor.Process(master, frames, gain);

        for (int pass = 0; pass < 2; pass++)
        {
            double measured = LoudnessMeter.IntegratedParallel(master, frames, sampleRate);
            if (measured <= -69) return;
            double shortfall = targetLufs - measured;
            if (pass > 0 && shortfall < 0.5) return;
            float trim = (float)Math.Pow(10, (shortfall + (pass == 0 ? 0.2 : 0.3)) / 20);
            Parallel.Invoke(() => Scale(master, 0, frames, trim), () => Scale(master, 1, frames, trim));
            new TruePeakLimiter(ceiling, sampleRate).Process(master, frames);
        }
    }

    /// <summary>Multiplies one channel's first <paramref name="frames"/> frames by <paramref name="gain"/>, a block at a time.</summary>
    internal static void Scale(CompactMaster master, int channel, int frames, float gain)
    {
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var scratch = pool.Rent(CompactMaster.BlockFrames);
        try
        {
            for (int start = 0; start < frames; start += CompactMaster.BlockFrames)
            {
                var block = scratch.AsSpan(0, Math.Min(CompactMaster.BlockFrames, frames - start));
                master.Read(channel, start, block);
                for (int i = 0; i < block.Length; i++) block[i] *= gain;
                master.Write(channel, start, block);
            }
        }
        finally
        {
            pool.Return(scratch);
        }
    }
}
