using System.Buffers.Binary;
using Cassette.Synth.Instruments;

namespace Cassette.Synth.Mixing;

/// <summary>
/// Float to 16-bit PCM with TPDF dither (two uniform variables, ±1 LSB triangular), which turns truncation
/// distortion into a constant, benign noise floor. The noise is seeded per block, so any split is reproducible.
/// </summary>
internal static class PcmEncoder
{
    public const int Block = 65536; // eight of the master's blocks

    /// <summary>
    /// Encodes the master in blocks (two at a time, one per core, each read into its own pooled float scratch) and
    /// writes them in order.
    /// </summary>
    public static void Write(CompactMaster master, int frames, Stream destination, ulong seed)
    {
        var bytes = System.Buffers.ArrayPool<byte>.Shared;
        var floats = System.Buffers.ArrayPool<float>.Shared;
        var first = bytes.Rent(Block * 4);
        var second = bytes.Rent(Block * 4);
        float[][] scratch = [floats.Rent(Block), floats.Rent(Block), floats.Rent(Block), floats.Rent(Block)];
        try
        {
            for (int start = 0; start < frames; start += 2 * Block)
            {
                int split = Math.Min(frames, start + Block), end = Math.Min(frames, start + 2 * Block);
                int from = start;
                Parallel.Invoke(
                    () => Encode(master, from, split, scratch[0], scratch[1], first, seed),
                    () => Encode(master, split, end, scratch[2], scratch[3], second, seed));
                destination.Write(first, 0, (split - start) * 4);
                destination.Write(second, 0, (end - split) * 4);
            }
        }
        finally
        {
            bytes.Return(first);
            bytes.Return(second);
            foreach (var array in scratch) floats.Return(array);
        }
    }

    /// <summary>Frames [from, to) of the master (at most one <see cref="Block"/>) into <paramref name="destination"/>.</summary>
    private static void Encode(CompactMaster master, int from, int to, float[] left, float[] right, byte[] destination, ulong seed)
    {
        if (to <= from) return;
        master.Read(0, from, left.AsSpan(0, to - from));
        master.Read(1, from, right.AsSpan(0, to - from));
        Encode(left, right, from, to, destination, seed, from);
    }

    /// <summary>
    /// Frames [from, to) into <paramref name="destination"/>, whose first byte is frame <paramref name="origin"/>; the
    /// float arrays start at frame <paramref name="origin"/> too.
    /// </summary>
    public static void Encode(float[] left, float[] right, int from, int to, byte[] destination, ulong seed, int origin)
    {
        for (int b = from; b < to; b += Block)
        {
            var noise = new NoiseSource(Prompt.StableHash.Mix(seed, (ulong)(b / Block)));
            int end = Math.Min(to, b + Block);
            for (int n = b; n < end; n++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(destination.AsSpan(4 * (n - origin)), Quantise(left[n - origin], ref noise));
                BinaryPrimitives.WriteInt16LittleEndian(destination.AsSpan(4 * (n - origin) + 2), Quantise(right[n - origin], ref noise));
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
