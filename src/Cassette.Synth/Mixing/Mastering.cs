namespace Cassette.Synth.Mixing;

/// <summary>
/// From the float mix to the delivered level: normalise to the target loudness (with headroom for what the
/// limiter takes), glue with the bus compressor, measure again and trim, limit true peaks to -1.5 dBTP, then
/// measure once more and, if the limiter took more than half a decibel of loudness, give it back and limit again.
/// </summary>
internal static class Mastering
{
    public const float CeilingDbtp = -1.5f;

    public static void Master(float[] left, float[] right, int frames, double targetLufs, int sampleRate)
    {
        float ceiling = MathF.Pow(10f, CeilingDbtp / 20f);
        double before = LoudnessMeter.IntegratedParallel(left, right, frames, sampleRate);
        float gain = before <= -69 ? 1f : (float)Math.Pow(10, (targetLufs + 0.3 - before) / 20);
        var compressor = new BusCompressor((float)targetLufs + 3f, sampleRate);
        compressor.Process(left, right, frames, gain);

        for (int pass = 0; pass < 2; pass++)
        {
            double measured = LoudnessMeter.IntegratedParallel(left, right, frames, sampleRate);
            if (measured <= -69) return;
            double shortfall = targetLufs - measured;
            if (pass > 0 && shortfall < 0.5) return;
            float trim = (float)Math.Pow(10, (shortfall + (pass == 0 ? 0.2 : 0.3)) / 20);
            Parallel.Invoke(() => Scale(left, frames, trim), () => Scale(right, frames, trim));
            new TruePeakLimiter(ceiling, sampleRate).Process(left, right, 0, frames, frames);
        }
    }

    private static void Scale(float[] samples, int frames, float gain)
    {
        var span = samples.AsSpan(0, frames);
        for (int i = 0; i < span.Length; i++) span[i] *= gain;
    }
}
