namespace Cassette.Synth.Mixing;

/// <summary>
/// A look-ahead, stereo-linked true-peak limiter working on the whole master in memory. For each frame it needs
/// gain ≤ ceiling / true peak; a sliding minimum over the look-ahead window (van Herk/Gil-Werman, three passes
/// whatever the window) followed by a moving average of the same length reaches that gain exactly when the peak
/// arrives, with a smooth attack, and never exceeds it. Release is a one-pole return towards unity. Blocks with no
/// peak near the ceiling are skipped.
/// </summary>
internal sealed class TruePeakLimiter(float ceiling, int sampleRate)
{
    private const int Block = 4096;
    private readonly int _window = sampleRate * 2 / 1000; // 2 ms look-ahead
    private readonly float _release = 1f - MathF.Exp(-1f / (0.1f * sampleRate));
    private float _gain = 1f;

    /// <summary>
    /// Limits frames [from, to) of the master in place. Finding the gain each frame needs (the true peaks) is most of
    /// the work, and apart from its first few frames a block's need reads only samples that no earlier block has
    /// scaled yet: so the needs of the next group of blocks are computed on the other core while this group is
    /// limited, and only each block's head (<see cref="HeadLength"/>), which reads samples its predecessor scaled, is
    /// computed in order, just before its block. The output is the same as computing everything in order.
    /// </summary>
    public void Process(float[] left, float[] right, int from, int to, int totalFrames)
    {
        const int Group = 8; // blocks per work item set: each step is one limiting item and eight need items
        int w = _window;
        int blocks = (to - from + Block - 1) / Block;
        int groups = (blocks + Group - 1) / Group;
        var required = new float[2][][];
        var tailAny = new bool[2][];
        for (int half = 0; half < 2; half++)
        {
            required[half] = new float[Group][];
            for (int k = 0; k < Group; k++) required[half][k] = new float[Block + 2 * w];
            tailAny[half] = new bool[Group];
        }
        var minimum = new float[Block + 2 * w];
        var prefix = new float[Block + 2 * w];
        var suffix = new float[Block + 2 * w];
        for (int g = 0; g <= groups; g++)
        {
            // Step g computes the tails of group g's needs and limits group g - 1 with the tails the step before made.
            int step = g;
            Parallel.For(0, Group + 1, item =>
            {
                if (item == 0)
                {
                    if (step == 0) return;
                    var rows = required[(step - 1) & 1];
                    var any = tailAny[(step - 1) & 1];
                    for (int k = 0; k < Group; k++)
                    {
                        int b = from + ((step - 1) * Group + k) * Block;
                        if (b >= to) break;
                        LimitBlock(left, right, b, Math.Min(Block, to - b), totalFrames, rows[k], any[k], prefix, suffix, minimum);
                    }
                }
                else
                {
                    int k = item - 1;
                    int b = from + (step * Group + k) * Block;
                    if (step >= groups || b >= to) return;
                    int count = Math.Min(Block, to - b);
                    int head = HeadLength(count);
                    tailAny[step & 1][k] = Required(left, right, b - w + 1 + head, Span(count) - head, totalFrames, required[step & 1][k].AsSpan(head));
                }
            });
        }
    }

    /// <summary>Frames of need a block of <paramref name="count"/> frames covers: its own and the look-ahead either side.</summary>
    private int Span(int count) => count + 2 * _window - 2;

    /// <summary>
    /// The first needs of a block, for frames up to <see cref="TruePeak.Reach"/> past its start: their true peaks read
    /// samples of the block before, which must be limited first.
    /// </summary>
    private int HeadLength(int count) => Math.Min(Span(count), _window + TruePeak.Reach - 1);

    /// <summary>Completes the block's needs with its head, then smooths them into gains and scales the block.</summary>
    private void LimitBlock(float[] left, float[] right, int b, int count, int totalFrames, float[] required, bool tailAny,
        float[] prefix, float[] suffix, float[] minimum)
    {
        int w = _window;
        int span = Span(count);
        bool any = Required(left, right, b - w + 1, HeadLength(count), totalFrames, required) | tailAny;
        if (!any && _gain >= 1f) return;
        SlidingMinimum(required, span, w, prefix, suffix, minimum);
        float sum = 0f;
        for (int j = 0; j < w - 1; j++) sum += minimum[j];
        for (int i = 0; i < count; i++)
        {
            sum += minimum[i + w - 1];
            float smoothed = sum / w;
            sum -= minimum[i];
            _gain = MathF.Min(smoothed, _gain + (1f - _gain) * _release);
            left[b + i] *= _gain;
            right[b + i] *= _gain;
        }
    }

    /// <summary>minimum[j] = min(values[j .. j + w)), for every j whose window fits in <paramref name="length"/>.</summary>
    private static void SlidingMinimum(float[] values, int length, int w, float[] prefix, float[] suffix, float[] minimum)
    {
        // Runs of w restart the running minimum; a countdown finds their edges (a modulo per element cost more
        // than everything else in the limiter).
        for (int runStart = 0; runStart < length; runStart += w)
        {
            int runEnd = Math.Min(length, runStart + w);
            float low = values[runStart];
            prefix[runStart] = low;
            for (int i = runStart + 1; i < runEnd; i++) prefix[i] = low = MathF.Min(low, values[i]);
            low = values[runEnd - 1];
            suffix[runEnd - 1] = low;
            for (int i = runEnd - 2; i >= runStart; i--) suffix[i] = low = MathF.Min(low, values[i]);
        }
        for (int j = 0; j + w <= length; j++)
            minimum[j] = MathF.Min(suffix[j], prefix[j + w - 1]);
    }

    /// <summary>The gain each frame needs; true peaks are only computed near the ceiling, where they can matter.</summary>
    private bool Required(float[] left, float[] right, int first, int count, int totalFrames, Span<float> required)
    {
        bool any = false;
        float trigger = ceiling * 0.75f; // below this, a true peak over the ceiling would need 2.5 dB of overshoot
        var l = left.AsSpan(0, totalFrames);
        var r = right.AsSpan(0, totalFrames);
        for (int j = 0; j < count; j++)
        {
            int n = first + j;
            float need = 1f;
            if (n >= 0 && n + 1 < totalFrames)
            {
                float peak = MathF.Max(MathF.Max(MathF.Abs(l[n]), MathF.Abs(l[n + 1])), MathF.Max(MathF.Abs(r[n]), MathF.Abs(r[n + 1])));
                if (peak > trigger)
                {
                    peak = MathF.Max(TruePeak.At(l, n), TruePeak.At(r, n));
                    if (peak > ceiling)
                    {
                        need = ceiling / peak;
                        any = true;
                    }
                }
            }
            required[j] = need;
        }
        return any;
    }
}
