using System.Buffers;

namespace Cassette.Synth.Mixing;

/// <summary>
/// The one-block float buffers of a render's parts and mix bus (about forty of 32 KB each) and the true-peak limiter's
/// scratch, taken from the shared array pool and given back when the render (or limiting pass) ends, so back-to-back
/// renders reuse them instead of leaving about a megabyte of garbage each. Every user clears or fills the frames it
/// reads first, so they are not cleared here.
/// </summary>
internal static class BlockBuffers
{
    public static float[] Rent(int length) => ArrayPool<float>.Shared.Rent(length);

    public static void Return(float[][] buffers)
    {
        foreach (var buffer in buffers) ArrayPool<float>.Shared.Return(buffer);
    }
}
