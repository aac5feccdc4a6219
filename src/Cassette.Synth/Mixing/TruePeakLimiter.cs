namespace Cassette.Synth.Mixing;

/// <summary>
/// A look-ahead, stereo-linked true-peak limiter working on the whole master in memory. For each frame it needs
/// gain ≤ ceiling / true peak; a sliding minimum over the look-ahead window followed by a moving average of the
/// same length reaches that gain exactly when the peak arrives, with a smooth attack, and never exceeds it. Release
/// is a one-pole return towards unity. Blocks with no peak near the ceiling are skipped.
/// </summary>
internal sealed class TruePeakLimiter(float ceiling, int sampleRate)
{
    private const int Block = 4096;
    private readonly int _window = sampleRate * 2 / 1000; // 2 ms look-ahead
    private readonly float _release = 1f - MathF.Exp(-1f / (0.1f * sampleRate));
    private float _gain = 1f;

    /// <summary>Limits frames [from, to) of the master in place; the caller runs halves on separate instances.</summary>
    public void Process(float[] left, float[] right, int from, int to, int totalFrames)
    {
        int w = _window;
        var required = new float[Block + 2 * w];
        var minimum = new float[Block + w];
        for (int b = from; b < to; b += Block)
        {
            int count = Math.Min(Block, to - b);
            int first = b - w + 1; // required[] index 0 is this frame
            bool any = Required(left, right, first, count + 2 * w - 2, totalFrames, required);
            if (!any && _gain >= 1f) continue;
            // minimum[j] = min of required over [j, j + w) for frames first .. b + count - 1
            for (int j = 0; j < count + w - 1; j++)
            {
                float m = 1f;
                for (int k = 0; k < w; k++) m = MathF.Min(m, required[j + k]);
                minimum[j] = m;
            }
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

    /// <summary>The gain each frame needs; true peaks are only computed near the ceiling, where they can matter.</summary>
    private bool Required(float[] left, float[] right, int first, int count, int totalFrames, float[] required)
    {
        bool any = false;
        float trigger = ceiling * 0.6f;
        for (int j = 0; j < count; j++)
        {
            int n = first + j;
            float need = 1f;
            if (n >= 0 && n < totalFrames)
            {
                float peak = MathF.Max(MathF.Abs(left[n]), MathF.Abs(right[n]));
                if (peak > trigger)
                {
                    peak = MathF.Max(TruePeak.At(left.AsSpan(0, totalFrames), n), TruePeak.At(right.AsSpan(0, totalFrames), n));
                    if (n > 0) peak = MathF.Max(peak, MathF.Max(TruePeak.At(left.AsSpan(0, totalFrames), n - 1), TruePeak.At(right.AsSpan(0, totalFrames), n - 1)));
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
