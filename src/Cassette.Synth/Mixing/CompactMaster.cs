using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cassette.Synth.Mixing;

/// <summary>
/// The stereo master as block floating point: a 24-bit mantissa per sample (3 bytes) and, per channel, one exponent
/// for each block of <see cref="BlockFrames"/> frames (the mix bus finishes exactly one such block per call). At 180 s
/// that is 45 MB where two float arrays were 60.6 MB. Each block is rounded to the nearest step of its own peak's
/// scale, 2^-23 of the next power of two above the peak: the error is at most 2^-23 of the peak, about −138 dB,
/// far below the 16-bit TPDF dither (−96 dB of full scale). An all-silent block is stored as such and reads back as
/// exact zeros. Mastering stages read a stretch into float scratch, work on it, and write it back whole blocks at a
/// time; different threads may write different blocks at once.
/// </summary>
internal sealed class CompactMaster
{
    public const int BlockFrames = 8192;
    private const int Silent = int.MinValue;
    private const int MaxMantissa = (1 << 23) - 1;

    // One padding byte at the end: a sample is read as four bytes and the top one shifted out.
    private readonly byte[][] _mantissas;
    private readonly int[][] _exponents;

    public CompactMaster(int capacityFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityFrames);
        Capacity = capacityFrames;
        int blocks = (capacityFrames + BlockFrames - 1) / BlockFrames;
        // Not zeroed: a render writes every frame before it reads it (and blocks it never writes, it never reads).
        _mantissas = [GC.AllocateUninitializedArray<byte>(3 * capacityFrames + 1), GC.AllocateUninitializedArray<byte>(3 * capacityFrames + 1)];
        _exponents = [new int[blocks], new int[blocks]];
    }

    /// <summary>Frames it can hold.</summary>
    public int Capacity { get; }

    /// <summary>
    /// Stores <paramref name="samples"/> as channel <paramref name="channel"/>'s frames from <paramref name="from"/>,
    /// which must start a block. Each whole block of them is one block; a shorter rest is the last block of the track.
    /// </summary>
    public void Write(int channel, int from, ReadOnlySpan<float> samples)
    {
        if (from % BlockFrames != 0) throw new ArgumentOutOfRangeException(nameof(from), from, "A write must start a block.");
        if ((uint)from + (uint)samples.Length > (uint)Capacity) throw new ArgumentOutOfRangeException(nameof(samples), samples.Length, "The write runs past the master's end.");
        for (int offset = 0; offset < samples.Length; offset += BlockFrames)
            WriteBlock(channel, from + offset, samples.Slice(offset, Math.Min(BlockFrames, samples.Length - offset)));
    }

    /// <summary>Reads channel <paramref name="channel"/>'s frames [from, from + destination.Length), from any frame.</summary>
    public void Read(int channel, int from, Span<float> destination)
    {
        if (from < 0 || (uint)from + (uint)destination.Length > (uint)Capacity) throw new ArgumentOutOfRangeException(nameof(from), from, "The read runs outside the master.");
        int done = 0;
        while (done < destination.Length)
        {
            int frame = from + done;
            int count = Math.Min(destination.Length - done, BlockFrames - frame % BlockFrames);
            ReadRun(channel, frame, destination.Slice(done, count));
            done += count;
        }
    }

    private void WriteBlock(int channel, int from, ReadOnlySpan<float> samples)
    {
        float peak = Peak(samples);
        int block = from / BlockFrames;
        if (peak == 0f)
        {
            _exponents[channel][block] = Silent;
            return;
        }
        // peak < 2^exponent, so every sample times 2^(23 - exponent) is below 2^23 in magnitude.
        int exponent = float.IsFinite(peak) ? MathF.ILogB(peak) + 1 : 128;
        _exponents[channel][block] = exponent;
        ref byte start = ref _mantissas[channel][3 * from];
        int i = 0;
        if (23 - exponent <= 127 && Vector128.IsHardwareAccelerated)
        {
            // Four samples at a time; a float product with a power of two is exact, so this rounds the same value the
            // scalar path does. Each store is 16 bytes, of which the next store overwrites the last four: the loop
            // stops while the whole store is still inside this block, whose last bytes the scalar path writes.
            var scale = Vector128.Create(MathF.ScaleB(1f, 23 - exponent));
            var pack = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 255, 255, 255, 255);
            var high = Vector128.Create(MaxMantissa);
            var low = Vector128.Create(-MaxMantissa - 1);
            for (; i <= samples.Length - 8; i += 4)
            {
                var m = Vector128.ConvertToInt32(Vector128.Round(Vector128.Create(samples.Slice(i, 4)) * scale));
                m = Vector128.Min(Vector128.Max(m, low), high);
                Vector128.Shuffle(m.AsByte(), pack).StoreUnsafe(ref Unsafe.Add(ref start, 3 * i));
            }
        }
        // The rest, and the tiniest blocks, whose scale is beyond a float's range: in doubles.
        double doubleScale = Math.ScaleB(1.0, 23 - exponent);
        int last = samples.Length - 1;
        for (; i < last; i++)
        {
            // Four bytes at a time, in order: the fourth is overwritten by the next sample's first.
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, 3 * i), Quantise(samples[i], doubleScale));
        }
        // The last sample of a block writes three bytes only: the fourth is the next block's, which another thread may
        // be writing or reading.
        int mantissa = Quantise(samples[last], doubleScale);
        Unsafe.Add(ref start, 3 * last) = (byte)mantissa;
        Unsafe.Add(ref start, 3 * last + 1) = (byte)(mantissa >> 8);
        Unsafe.Add(ref start, 3 * last + 2) = (byte)(mantissa >> 16);
    }

    /// <summary>The largest magnitude in <paramref name="samples"/>.</summary>
    private static float Peak(ReadOnlySpan<float> samples)
    {
        int i = 0;
        var peaks = Vector128<float>.Zero;
        for (; i <= samples.Length - 4; i += 4) peaks = Vector128.Max(peaks, Vector128.Abs(Vector128.Create(samples.Slice(i, 4))));
        float peak = MathF.Max(MathF.Max(peaks[0], peaks[1]), MathF.Max(peaks[2], peaks[3]));
        for (; i < samples.Length; i++) peak = MathF.Max(peak, MathF.Abs(samples[i]));
        return peak;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Quantise(float x, double scale)
    {
        // Round to nearest; only a sample within half a step of 2^exponent can round up to 2^23, one step too far.
        double m = Math.Round(x * scale);
        return (int)Math.Clamp(m, -MaxMantissa - 1, MaxMantissa);
    }

    /// <summary>Frames within one block.</summary>
    private void ReadRun(int channel, int from, Span<float> destination)
    {
        int exponent = _exponents[channel][from / BlockFrames];
        if (exponent == Silent)
        {
            destination.Clear();
            return;
        }
        ref byte start = ref _mantissas[channel][3 * from];
        int i = 0;
        if (exponent - 23 >= -126)
        {
            // A 24-bit mantissa times a normal power of two is exact in float arithmetic.
            float factor = MathF.ScaleB(1f, exponent - 23);
            if (Vector128.IsHardwareAccelerated)
            {
                // Four samples from 16 bytes (of which 12 are theirs): each mantissa into the top three bytes of an
                // int, then an arithmetic shift brings it down with its sign. The read stays inside the array, whose
                // tail is read by the scalar loop.
                var unpack = Vector128.Create((byte)255, 0, 1, 2, 255, 3, 4, 5, 255, 6, 7, 8, 255, 9, 10, 11);
                var factors = Vector128.Create(factor);
                int vectorEnd = Math.Min(destination.Length, (_mantissas[channel].Length - 3 * from - 16) / 3 + 1);
                for (; i <= vectorEnd - 4; i += 4)
                {
                    var bytes = Vector128.LoadUnsafe(ref Unsafe.Add(ref start, 3 * i));
                    var m = Vector128.ShiftRightArithmetic(Vector128.Shuffle(bytes, unpack).AsInt32(), 8);
                    (Vector128.ConvertToSingle(m) * factors).CopyTo(destination.Slice(i, 4));
                }
            }
            for (; i < destination.Length; i++)
                destination[i] = (Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref start, 3 * i)) << 8 >> 8) * factor;
        }
        else
        {
            double factor = Math.ScaleB(1.0, exponent - 23);
            for (; i < destination.Length; i++)
                destination[i] = (float)((Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref start, 3 * i)) << 8 >> 8) * factor);
        }
    }
}
