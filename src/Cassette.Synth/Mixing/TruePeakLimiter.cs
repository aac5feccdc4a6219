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

    /// <summary>Limits frames [from, to) of the master in place.</summary>
    public void Process(float[] left, float[] right, int from, int to, int totalFrames)
    {
        int w = _window;
        var required = new float[Block + 2 * w];
        var minimum = new float[Block + 2 * w];
        var prefix = new float[Block + 2 * w];
        var suffix = new float[Block + 2 * w];
        for (int b = from; b < to; b += Block)
        {
            int count = Math.Min(Block, to - b);
            int first = b - w + 1; // required[0] is this frame
            int span = count + 2 * w - 2;
            bool any = Required(left, right, first, span, totalFrames, required);
            if (!any && _gain >= 1f) continue;
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
    private bool Required(float[] left, float[] right, int first, int count, int totalFrames, float[] required)
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
