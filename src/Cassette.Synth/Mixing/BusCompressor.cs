namespace Cassette.Synth.Mixing;

/// <summary>
/// A gentle glue compressor on the stereo bus: linked RMS detection over 30 ms, 2:1 above a threshold 3 dB over
/// the target loudness, 30 ms attack and 300 ms release, so only the loudest passages give up 1–3 dB. A faster or
/// lower-set compressor pumps on every beat, which flattens the envelope a tempo detector reads. The gain is
/// computed every 16 samples and interpolated between, which keeps the logarithms out of the per-sample loop.
/// </summary>
internal readonly struct BusCompressor
{
    private const float Ratio = 2f;
    private const int Control = 16;
    private readonly float _rmsCoefficient, _attack, _release, _thresholdDb;

    public BusCompressor(float thresholdDb, float sampleRate)
    {
        _thresholdDb = thresholdDb;
        _rmsCoefficient = 1f - MathF.Exp(-1f / (0.03f * sampleRate));
        _attack = 1f - MathF.Exp(-Control / (0.03f * sampleRate));
        _release = 1f - MathF.Exp(-Control / (0.3f * sampleRate));
    }

    private const int Stretch = 4096 * Control; // eight of the master's blocks

    /// <summary>
    /// Applies <paramref name="inputGain"/> and then the compression to the first <paramref name="frames"/> frames, in
    /// place. The detector is one chain through the whole track, so it runs alone over a stretch and records the gain
    /// at every control point; the two channels of that stretch are then scaled, each replaying the same ramps.
    /// Detecting a stretch reads only that stretch and scaling writes only its own, so the detector runs one stretch
    /// ahead, beside the scaling of the previous one: three work items per step keep both cores busy where the
    /// detector used to run alone. Stretches keep the record small (a whole track's would be 2 MB of large-object
    /// garbage per render); two records alternate, one being written while the other is replayed.
    /// </summary>
    public void Process(float[] left, float[] right, int frames, float inputGain) =>
        Process(frames, inputGain,
            (start, count) => (left.AsMemory(start, count), right.AsMemory(start, count)),
            (channel, start, count) => (channel == 0 ? left : right).AsMemory(start, count),
            static (_, _, _) => { });

    /// <summary>
    /// The same on the master: each work item reads its stretch into float scratch (pooled, one per item), and the
    /// scaling items write theirs back. Stretches are whole blocks of the master, so the two never share one.
    /// </summary>
    public void Process(CompactMaster master, int frames, float inputGain)
    {
        var pool = System.Buffers.ArrayPool<float>.Shared;
        float[] detectLeft = pool.Rent(Stretch), detectRight = pool.Rent(Stretch), applyLeft = pool.Rent(Stretch), applyRight = pool.Rent(Stretch);
        try
        {
            Process(frames, inputGain,
                (start, count) =>
                {
                    master.Read(0, start, detectLeft.AsSpan(0, count));
                    master.Read(1, start, detectRight.AsSpan(0, count));
                    return (detectLeft.AsMemory(0, count), detectRight.AsMemory(0, count));
                },
                (channel, start, count) =>
                {
                    var scratch = (channel == 0 ? applyLeft : applyRight).AsMemory(0, count);
                    master.Read(channel, start, scratch.Span);
                    return scratch;
                },
                (channel, start, samples) => master.Write(channel, start, samples.Span));
        }
        finally
        {
            pool.Return(detectLeft);
            pool.Return(detectRight);
            pool.Return(applyLeft);
            pool.Return(applyRight);
        }
    }

    /// <summary>
    /// The pipeline, over any storage: <paramref name="readBoth"/> gives a stretch of both channels to detect,
    /// <paramref name="readOne"/> one channel's stretch to scale in place, and <paramref name="store"/> puts a scaled
    /// stretch back (nothing to do when the stretch is the storage itself).
    /// </summary>
    private void Process(int frames, float inputGain, Func<int, int, (Memory<float> Left, Memory<float> Right)> readBoth,
        Func<int, int, int, Memory<float>> readOne, Action<int, int, Memory<float>> store)
    {
        float[][] gains = [new float[Stretch / Control], new float[Stretch / Control]];
        float meanSquare = 0f, gainDb = 0f, gain = 1f;
        int stretches = (frames + Stretch - 1) / Stretch;
        int detected = 0; // control points recorded for the stretch being scaled
        for (int s = 0; s <= stretches; s++)
        {
            // Step s detects stretch s and scales stretch s - 1, from the gain its predecessor ended on.
            int detectStart = s * Stretch, applyStart = (s - 1) * Stretch;
            int detectCount = Math.Min(Stretch, frames - detectStart), applyCount = Math.Min(Stretch, frames - applyStart);
            var record = gains[s & 1];
            var replay = gains[(s - 1) & 1];
            int points = detected, next = 0;
            float from = gain;
            var self = this;
            Parallel.Invoke(
                () =>
                {
                    if (s >= stretches) return;
                    var (left, right) = readBoth(detectStart, detectCount);
                    next = self.Detect(left.Span, right.Span, inputGain, record, ref meanSquare, ref gainDb);
                },
                () => { if (s > 0) ApplyChannel(0); },
                () => { if (s > 0) ApplyChannel(1); });
            if (s > 0) gain = replay[points - 1];
            detected = next;

            void ApplyChannel(int channel)
            {
                var samples = readOne(channel, applyStart, applyCount);
                Apply(samples.Span, replay, points, from, inputGain);
                store(channel, applyStart, samples);
            }
        }
    }

    /// <summary>Records the gain reached at the end of each control interval; returns how many it recorded.</summary>
    private int Detect(ReadOnlySpan<float> left, ReadOnlySpan<float> right, float inputGain, float[] gains, ref float meanSquare, ref float gainDb)
    {
        int points = (left.Length + Control - 1) / Control;
        float ms = meanSquare, db = gainDb, coefficient = _rmsCoefficient;
        for (int k = 0; k < points; k++)
        {
            int start = k * Control, end = Math.Min(left.Length, start + Control);
            for (int i = start; i < end; i++)
            {
                float l = left[i] * inputGain, r = right[i] * inputGain;
                ms += coefficient * (0.5f * (l * l + r * r) - ms);
            }
            if (ms < 1e-20f) ms = 0f;
            float levelDb = 10f * MathF.Log10(ms + 1e-12f);
            float targetDb = levelDb > _thresholdDb ? (_thresholdDb - levelDb) * (1f - 1f / Ratio) : 0f;
            db += (targetDb < db ? _attack : _release) * (targetDb - db);
            gains[k] = MathF.Pow(10f, db / 20f);
        }
        (meanSquare, gainDb) = (ms, db);
        return points;
    }

    /// <summary>Scales one channel, ramping linearly from each control point's gain to the next.</summary>
    private static void Apply(Span<float> samples, float[] gains, int points, float gain, float inputGain)
    {
        for (int k = 0; k < points; k++)
        {
            int start = k * Control, end = Math.Min(samples.Length, start + Control);
            float next = gains[k];
            float step = (next - gain) / (end - start);
            for (int i = start; i < end; i++)
            {
                gain += step;
                samples[i] *= inputGain * gain;
            }
            gain = next;
        }
    }
}
