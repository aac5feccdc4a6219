using System.Buffers.Binary;

namespace Cassette.Synth.Tests.Rendering;

/// <summary>A rendered WAV decoded back to floats, for the self-checks.</summary>
internal sealed record WavSamples(float[] Left, float[] Right)
{
    public static WavSamples Render(string prompt, int seconds, long? seed = null)
    {
        using var stream = new MemoryStream();
        TrackSynthesizer.RenderWav(new SynthRequest(prompt, seconds, seed), stream);
        return Decode(stream.ToArray());
    }

    public static WavSamples Decode(byte[] wav)
    {
        int frames = (wav.Length - 44) / 4;
        var left = new float[frames];
        var right = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            left[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + 4 * i)) / 32768f;
            right[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(46 + 4 * i)) / 32768f;
        }
        return new WavSamples(left, right);
    }
}
