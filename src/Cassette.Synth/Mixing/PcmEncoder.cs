using System.Buffers.Binary;
using Cassette.Synth.Instruments;

namespace Cassette.Synth.Mixing;

/// <summary>
/// Float to 16-bit PCM with TPDF dither (two uniform variables, ±1 LSB triangular), which turns truncation
/// distortion into a constant, benign noise floor. The noise is seeded per block, so any split is reproducible.
/// </summary>
internal static class PcmEncoder
{
    public const int Block = 65536;

    /// <summary>Encodes the master in blocks (two at a time, one per core) and writes them in order.</summary>
    public static void Write(float[] left, float[] right, int frames, Stream destination, ulong seed)
    {
        var pool = System.Buffers.ArrayPool<byte>.Shared;
        var first = pool.Rent(Block * 4);
        var second = pool.Rent(Block * 4);
        try
        {
            for (int start = 0; start < frames; start += 2 * Block)
            {
                int split = Math.Min(frames, start + Block), end = Math.Min(frames, start + 2 * Block);
                int from = start;
                Parallel.Invoke(
                    () => Encode(left, right, from, split, first, seed, from),
                    () => Encode(left, right, split, end, second, seed, split));
                destination.Write(first, 0, (split - start) * 4);
                destination.Write(second, 0, (end - split) * 4);
            }
        }
        finally
        {
            pool.Return(first);
            pool.Return(second);
        }
    }

    /// <summary>Frames [from, to) into <paramref name="destination"/>, whose first byte is frame <paramref name="origin"/>.</summary>
    public static void Encode(float[] left, float[] right, int from, int to, byte[] destination, ulong seed, int origin)
    {
        for (int b = from; b < to; b += Block)
        {
            var noise = new NoiseSource(Prompt.StableHash.Mix(seed, (ulong)(b / Block)));
            int end = Math.Min(to, b + Block);
            for (int n = b; n < end; n++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(destination.AsSpan(4 * (n - origin)), Quantise(left[n], ref noise));
                BinaryPrimitives.WriteInt16LittleEndian(destination.AsSpan(4 * (n - origin) + 2), Quantise(right[n], ref noise));
            }
        }
    }

    private static short Quantise(float x, ref NoiseSource noise)
    {
        float dither = noise.NextUnit() + noise.NextUnit() - 1f;
        float value = MathF.Round(x * 32767f + dither);
        return (short)Math.Clamp(value, -32768f, 32767f);
    }
}
