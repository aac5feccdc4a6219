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

    public static void Encode(float[] left, float[] right, int from, int to, byte[] destination, ulong seed)
    {
        for (int b = from; b < to; b += Block)
        {
            var noise = new NoiseSource(Prompt.StableHash.Mix(seed, (ulong)(b / Block)));
            int end = Math.Min(to, b + Block);
            for (int n = b; n < end; n++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(destination.AsSpan(4 * n), Quantise(left[n], ref noise));
                BinaryPrimitives.WriteInt16LittleEndian(destination.AsSpan(4 * n + 2), Quantise(right[n], ref noise));
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
