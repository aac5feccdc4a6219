using System.Buffers.Binary;
using Cassette.Synth;

namespace Cassette.Synth.Tests;

public class TrackSynthesizerTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    public void RendersA44100HzStereo16BitWavOfExactlyTheRequestedLength(int seconds)
    {
        using var wav = new MemoryStream();
        TrackSynthesizer.RenderWav(new SynthRequest("chill hip-hop, Key: D Minor, Tempo: 90 BPM", seconds), wav);
        var bytes = wav.ToArray();

        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(22)));
        Assert.Equal(44100, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(34)));
        Assert.Equal(seconds * 44100 * 4, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(44 + seconds * 44100 * 4, bytes.Length);
    }

    [Fact]
    public void IsNotSilent()
    {
        using var wav = new MemoryStream();
        TrackSynthesizer.RenderWav(new SynthRequest("anything", 10), wav);
        var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(wav.ToArray().AsSpan(44));
        int loud = 0;
        foreach (short s in samples) if (Math.Abs((int)s) > 1000) loud++;
        Assert.True(loud > samples.Length / 10);
    }

    [Fact]
    public void RejectsDurationsOutsideItsRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrackSynthesizer.RenderWav(new SynthRequest("x", 0), Stream.Null));
    }
}
