namespace Cassette.Synth.Mixing;

/// <summary>
/// A look-ahead, stereo-linked true-peak limiter over the whole master. For each frame it needs gain ≤ ceiling / true
/// peak; a sliding minimum over the look-ahead window (van Herk/Gil-Werman, three passes whatever the window)
/// followed by a moving average of the same length reaches that gain exactly when the peak arrives, with a smooth
/// attack, and never exceeds it. Release is a one-pole return towards unity. Blocks with no peak near the ceiling
/// are skipped.
/// </summary>
internal sealed class TruePeakLimiter(float ceiling, int sampleRate)
{
    private const int Block = 4096;
    private const int Group = 8; // blocks per work item set: each step is one limiting item and eight need items
    private readonly int _window = sampleRate * 2 / 1000; // 2 ms look-ahead
    private readonly float _release = 1f - MathF.Exp(-1f / (0.1f * sampleRate));
    private float _gain = 1f;

    /// <summary>Limits frames [from, to) of two float arrays in place (the reference the master's limiting is checked against).</summary>
    public void Process(float[] left, float[] right, int from, int to, int totalFrames) =>
        Process(from, to, totalFrames, new ArrayFrames(left, right, totalFrames));

    /// <summary>Limits the first <paramref name="frames"/> frames of the master in place.</summary>
    public void Process(CompactMaster master, int frames)
    {
        var source = new MasterFrames(master, frames, Group * Block + 2 * _window + 2 * TruePeak.Ahead, Block + 2 * _window + 2 * TruePeak.Ahead);
        try
        {
            Process(0, frames, frames, source);
        }
        finally
        {
            source.Return();
        }
    }

    /// <summary>
    /// Limits frames [from, to) in place. Finding the gain each frame needs (the true peaks) is most of the work, and
    /// apart from its first few frames a block's need reads only samples that no earlier block has scaled yet: so the
    /// needs of the next group of blocks are computed on the other core while this group is limited, and only each
    /// block's head (<see cref="HeadLength"/>), which reads samples its predecessor scaled, is computed in order, just
    /// before its block. The output is the same as computing everything in order.
    /// </summary>
    private void Process(int from, int to, int totalFrames, Frames frames)
    {
        int w = _window;
        int blocks = (to - from + Block - 1) / Block;
        int groups = (blocks + Group - 1) / Group;
        // Pooled scratch (longer than asked, perhaps: only the first Block + 2w floats are used, and every one is
        // written before it is read), so a render's two limiting passes leave no garbage behind.
        var required = new float[2][][];
        var tailAny = new bool[2][];
        for (int half = 0; half < 2; half++)
        {
            required[half] = new float[Group][];
            for (int k = 0; k < Group; k++) required[half][k] = BlockBuffers.Rent(Block + 2 * w);
            tailAny[half] = new bool[Group];
        }
        var minimum = BlockBuffers.Rent(Block + 2 * w);
        var prefix = BlockBuffers.Rent(Block + 2 * w);
        var suffix = BlockBuffers.Rent(Block + 2 * w);
        // Step g computes the tails of group g's needs and limits group g - 1 with the tails the step before made.
        var steps = new Rendering.StepRunner(Group + 1, (step, item) =>
        {
            if (item == 0)
            {
                if (step == 0) return;
                var rows = required[(step - 1) & 1];
                var any = tailAny[(step - 1) & 1];
                int groupStart = from + (step - 1) * Group * Block, groupEnd = Math.Min(to, groupStart + Group * Block);
                // The heads read back to the look-ahead before the group, and the last (perhaps short) block's ahead.
                var window = frames.OpenForLimit(groupStart - w + 1 - TruePeak.Reach, groupEnd + w + TruePeak.Ahead);
                bool scaled = false;
                for (int k = 0; k < Group; k++)
                {
                    int b = groupStart + k * Block;
                    if (b >= to) break;
                    scaled |= LimitBlock(window, b, Math.Min(Block, to - b), totalFrames, rows[k], any[k], prefix, suffix, minimum);
                }
                frames.CloseLimit(window, groupStart, groupEnd, scaled);
            }
            else
            {
                int k = item - 1;
                int b = from + (step * Group + k) * Block;
                if (step >= groups || b >= to) return;
                int count = Math.Min(Block, to - b);
                int head = HeadLength(count);
                int first = b - w + 1 + head, needs = Span(count) - head;
                var window = frames.OpenForNeeds(k, first - TruePeak.Reach, first + needs + TruePeak.Ahead);
                tailAny[step & 1][k] = Required(window, first, needs, totalFrames, required[step & 1][k].AsSpan(head));
            }
        });
        try
        {
            for (int g = 0; g <= groups; g++) steps.Run(g);
        }
        finally
        {
            // Every step has finished all its items (even one that threw), so nothing reads the scratch any more.
            foreach (var rows in required) BlockBuffers.Return(rows);
            BlockBuffers.Return([minimum, prefix, suffix]);
        }
    }

    /// <summary>Frames of need a block of <paramref name="count"/> frames covers: its own and the look-ahead either side.</summary>
    private int Span(int count) => count + 2 * _window - 2;

    /// <summary>
    /// The first needs of a block, for frames up to <see cref="TruePeak.Reach"/> past its start: their true peaks read
    /// samples of the block before, which must be limited first.
    /// </summary>
    private int HeadLength(int count) => Math.Min(Span(count), _window + TruePeak.Reach - 1);

    /// <summary>
    /// Completes the block's needs with its head, then smooths them into gains and scales the block; false when the
    /// block needed no scaling.
    /// </summary>
    private bool LimitBlock(Window window, int b, int count, int totalFrames, float[] required, bool tailAny,
        float[] prefix, float[] suffix, float[] minimum)
    {
        int w = _window;
        int span = Span(count);
        bool any = Required(window, b - w + 1, HeadLength(count), totalFrames, required) | tailAny;
        if (!any && _gain >= 1f) return false;
        SlidingMinimum(required, span, w, prefix, suffix, minimum);
        var left = window.LeftSpan[(b - window.Origin)..];
        var right = window.RightSpan[(b - window.Origin)..];
        float sum = 0f;
        for (int j = 0; j < w - 1; j++) sum += minimum[j];
        for (int i = 0; i < count; i++)
        {
            sum += minimum[i + w - 1];
            float smoothed = sum / w;
            sum -= minimum[i];
            _gain = MathF.Min(smoothed, _gain + (1f - _gain) * _release);
            left[i] *= _gain;
            right[i] *= _gain;
        }
        return true;
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

    /// <summary>
    /// The gain each frame in [first, first + count) needs; true peaks are only computed near the ceiling, where they
    /// can matter. The window must hold frames [first − Reach, first + count + Ahead) as far as the track has them.
    /// </summary>
    private bool Required(Window window, int first, int count, int totalFrames, Span<float> required)
    {
        bool any = false;
        float trigger = ceiling * 0.75f; // below this, a true peak over the ceiling would need 2.5 dB of overshoot
        ReadOnlySpan<float> l = window.LeftSpan, r = window.RightSpan;
        int origin = window.Origin;
        for (int j = 0; j < count; j++)
        {
            int n = first + j;
            float need = 1f;
            if (n >= 0 && n + 1 < totalFrames)
            {
                int i = n - origin;
                float peak = MathF.Max(MathF.Max(MathF.Abs(l[i]), MathF.Abs(l[i + 1])), MathF.Max(MathF.Abs(r[i]), MathF.Abs(r[i + 1])));
                if (peak > trigger)
                {
                    // The window ends where the track does, or far enough past i for every tap: the same edges as the whole track.
                    peak = MathF.Max(TruePeak.At(l, i), TruePeak.At(r, i));
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

    /// <summary>Frames [Origin, Origin + Length) of both channels, as float arrays a work item reads and scales.</summary>
    private readonly record struct Window(float[] Left, float[] Right, int Origin, int Length)
    {
        public Span<float> LeftSpan => Left.AsSpan(0, Length);
        public Span<float> RightSpan => Right.AsSpan(0, Length);
    }

    /// <summary>Where the samples live: windows onto them for the work items, and how scaled frames get back.</summary>
    private abstract class Frames
    {
        /// <summary>Frames [first, end), cut to the track, for need item <paramref name="item"/> (read only).</summary>
        public abstract Window OpenForNeeds(int item, int first, int end);

        /// <summary>Frames [first, end), cut to the track, for the limiting item.</summary>
        public abstract Window OpenForLimit(int first, int end);

        /// <summary>Puts frames [from, to) of the limiting item's window back, if it scaled any.</summary>
        public abstract void CloseLimit(Window window, int from, int to, bool scaled);
    }

    /// <summary>The master is two float arrays: every window is the whole of them.</summary>
    private sealed class ArrayFrames(float[] left, float[] right, int totalFrames) : Frames
    {
        public override Window OpenForNeeds(int item, int first, int end) => new(left, right, 0, totalFrames);

        public override Window OpenForLimit(int first, int end) => new(left, right, 0, totalFrames);

        public override void CloseLimit(Window window, int from, int to, bool scaled) { }
    }

    /// <summary>
    /// The compact master: each window is read into scratch (pooled; one pair per need item and one for the limiting
    /// item), and the limiting item writes its group back. Groups are whole blocks of the master, so the limiting item
    /// never writes a block a need item reads.
    /// </summary>
    private sealed class MasterFrames : Frames
    {
        private readonly CompactMaster _master;
        private readonly int _totalFrames;
        private readonly float[][] _needLeft, _needRight;
        private readonly float[] _limitLeft, _limitRight;

        public MasterFrames(CompactMaster master, int totalFrames, int limitLength, int needLength)
        {
            _master = master;
            _totalFrames = totalFrames;
            _needLeft = new float[Group][];
            _needRight = new float[Group][];
            for (int k = 0; k < Group; k++)
            {
                _needLeft[k] = BlockBuffers.Rent(needLength);
                _needRight[k] = BlockBuffers.Rent(needLength);
            }
            _limitLeft = BlockBuffers.Rent(limitLength);
            _limitRight = BlockBuffers.Rent(limitLength);
        }

        public override Window OpenForNeeds(int item, int first, int end) => Open(_needLeft[item], _needRight[item], first, end);

        public override Window OpenForLimit(int first, int end) => Open(_limitLeft, _limitRight, first, end);

        public override void CloseLimit(Window window, int from, int to, bool scaled)
        {
            if (!scaled) return;
            _master.Write(0, from, window.Left.AsSpan(from - window.Origin, to - from));
            _master.Write(1, from, window.Right.AsSpan(from - window.Origin, to - from));
        }

        private Window Open(float[] left, float[] right, int first, int end)
        {
            int origin = Math.Clamp(first, 0, _totalFrames);
            int length = Math.Clamp(end, origin, _totalFrames) - origin;
            if (length > left.Length) throw new InvalidOperationException($"A limiter window of {length} frames is larger than its scratch ({left.Length}).");
            _master.Read(0, origin, left.AsSpan(0, length));
            _master.Read(1, origin, right.AsSpan(0, length));
            return new Window(left, right, origin, length);
        }

        public void Return()
        {
            BlockBuffers.Return(_needLeft);
            BlockBuffers.Return(_needRight);
            BlockBuffers.Return([_limitLeft, _limitRight]);
        }
    }
}
