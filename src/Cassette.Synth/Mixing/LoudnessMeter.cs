namespace Cassette.Synth.Mixing;

/// <summary>
/// Integrated loudness after ITU-R BS.1770-4 / EBU R128: K-weighting (a high shelf and a high-pass, derived from the
/// analogue prototype as libebur128 does, so any sample rate works), mean square per 400 ms block with a 100 ms
/// hop, an absolute gate at -70 LUFS and a relative gate 10 LU below the mean of what is left.
/// </summary>
internal static class LoudnessMeter
{
    /// <summary>Integrated loudness in LUFS of a planar stereo signal; -70 (the gate) for silence.</summary>
    public static double Integrated(ReadOnlySpan<float> left, ReadOnlySpan<float> right, int sampleRate)
    {
        int hop = sampleRate / 10;
        var leftEnergy = SubBlockEnergy(left, sampleRate, hop);
        var rightEnergy = SubBlockEnergy(right, sampleRate, hop);
        return Gate(leftEnergy, rightEnergy, hop);
    }

    /// <summary>The same measurement with the two channels filtered on two cores.</summary>
    internal static double IntegratedParallel(float[] left, float[] right, int frames, int sampleRate)
    {
        int hop = sampleRate / 10;
        double[] leftEnergy = [], rightEnergy = [];
        Parallel.Invoke(
            () => leftEnergy = SubBlockEnergy(left.AsSpan(0, frames), sampleRate, hop),
            () => rightEnergy = SubBlockEnergy(right.AsSpan(0, frames), sampleRate, hop));
        return Gate(leftEnergy, rightEnergy, hop);
    }

    /// <summary>The same measurement of the first <paramref name="frames"/> frames of the master, one channel per core.</summary>
    internal static double IntegratedParallel(CompactMaster master, int frames, int sampleRate)
    {
        int hop = sampleRate / 10;
        double[] leftEnergy = [], rightEnergy = [];
        Parallel.Invoke(
            () => leftEnergy = SubBlockEnergy(master, 0, frames, sampleRate, hop),
            () => rightEnergy = SubBlockEnergy(master, 1, frames, sampleRate, hop));
        return Gate(leftEnergy, rightEnergy, hop);
    }

    /// <summary>Sum of squared K-weighted samples for each 100 ms sub-block.</summary>
    private static double[] SubBlockEnergy(ReadOnlySpan<float> samples, int sampleRate, int hop)
    {
        var filter = new KWeightingFilter(sampleRate);
        var energy = new double[samples.Length / hop];
        for (int b = 0; b < energy.Length; b++) energy[b] = filter.SumOfSquares(samples.Slice(b * hop, hop));
        return energy;
    }

    /// <summary>The same for one channel of the master, read a sub-block at a time into a small scratch buffer.</summary>
    private static double[] SubBlockEnergy(CompactMaster master, int channel, int frames, int sampleRate, int hop)
    {
        var filter = new KWeightingFilter(sampleRate);
        var energy = new double[frames / hop];
        var scratch = System.Buffers.ArrayPool<float>.Shared.Rent(hop);
        try
        {
            var samples = scratch.AsSpan(0, hop);
            for (int b = 0; b < energy.Length; b++)
            {
                master.Read(channel, b * hop, samples);
                energy[b] = filter.SumOfSquares(samples);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scratch);
        }
        return energy;
    }

    /// <summary>The K-weighting's two biquads, run over a signal a stretch at a time.</summary>
    private struct KWeightingFilter(int sampleRate)
    {
        private readonly Biquad _shelf = KWeighting(sampleRate).Shelf, _highPass = KWeighting(sampleRate).HighPass;
        private double _sx1, _sx2, _sy1, _sy2, _hx1, _hx2, _hy1, _hy2;

        /// <summary>Filters the next stretch of the signal and returns the sum of its squared output.</summary>
        public double SumOfSquares(ReadOnlySpan<float> samples)
        {
            // The two biquads run on locals, not on struct fields: the state then stays in registers over the stretch.
            // Each is y = b0·x + b1·x1 + b2·x2 − a1·y1 − a2·y2, evaluated left to right.
            double sb0 = _shelf.B0, sb1 = _shelf.B1, sb2 = _shelf.B2, sa1 = _shelf.A1, sa2 = _shelf.A2;
            double hb0 = _highPass.B0, hb1 = _highPass.B1, hb2 = _highPass.B2, ha1 = _highPass.A1, ha2 = _highPass.A2;
            double sx1 = _sx1, sx2 = _sx2, sy1 = _sy1, sy2 = _sy2, hx1 = _hx1, hx2 = _hx2, hy1 = _hy1, hy2 = _hy2;
            double sum = 0;
            foreach (float x in samples)
            {
                double input = x;
                double shelved = sb0 * input + sb1 * sx1 + sb2 * sx2 - sa1 * sy1 - sa2 * sy2;
                sx2 = sx1;
                sx1 = input;
                sy2 = sy1;
                sy1 = shelved;
                double y = hb0 * shelved + hb1 * hx1 + hb2 * hx2 - ha1 * hy1 - ha2 * hy2;
                hx2 = hx1;
                hx1 = shelved;
                hy2 = hy1;
                hy1 = y;
                sum += y * y;
            }
            (_sx1, _sx2, _sy1, _sy2, _hx1, _hx2, _hy1, _hy2) = (sx1, sx2, sy1, sy2, hx1, hx2, hy1, hy2);
            return sum;
        }
    }

    private static double Gate(double[] left, double[] right, int hop)
    {
        int blocks = left.Length - 3;
        if (blocks <= 0) return -70;
        var loudness = new double[blocks];
        for (int b = 0; b < blocks; b++)
        {
            double sum = 0;
            for (int k = 0; k < 4; k++) sum += left[b + k] + right[b + k];
            loudness[b] = sum / (4.0 * hop);
        }
        double absolute = Math.Pow(10, (-70 + 0.691) / 10);
        double mean = Mean(loudness, absolute);
        if (mean <= 0) return -70;
        double relative = mean * Math.Pow(10, -10 / 10.0);
        double gated = Mean(loudness, Math.Max(absolute, relative));
        return gated <= 0 ? -70 : -0.691 + 10 * Math.Log10(gated);
    }

    private static double Mean(double[] blocks, double threshold)
    {
        double sum = 0;
        int count = 0;
        foreach (double z in blocks)
            if (z > threshold)
            {
                sum += z;
                count++;
            }
        return count == 0 ? 0 : sum / count;
    }

    private static (Biquad Shelf, Biquad HighPass) KWeighting(int sampleRate)
    {
        double k = Math.Tan(Math.PI * 1681.974450955533 / sampleRate);
        double q = 0.7071752369554196;
        double vh = Math.Pow(10, 3.999843853973347 / 20);
        double vb = Math.Pow(vh, 0.4996667741545416);
        double a0 = 1 + k / q + k * k;
        var shelf = new Biquad((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
            2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
        k = Math.Tan(Math.PI * 38.13547087602444 / sampleRate);
        q = 0.5003270373238773;
        a0 = 1 + k / q + k * k;
        var highPass = new Biquad(1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0);
        return (shelf, highPass);
    }
}
