using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Cassette.Synth.Tests.Rendering;

public class TrackSynthesizerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(31)]
    public void RendersA44100HzStereo16BitWavOfExactlyTheRequestedLength(int seconds)
    {
        using var wav = new MemoryStream();
        TrackSynthesizer.RenderWav(new SynthRequest("chill hip-hop, Key: D Minor, Tempo: 90 BPM", seconds), wav);
        var bytes = wav.ToArray();

        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(22)));
        Assert.Equal(44100, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(34)));
        Assert.Equal(seconds * 44100 * 4, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(44 + seconds * 44100 * 4, bytes.Length);
    }

    [Fact]
    public void TheSamePromptAndSeedGiveTheSameBytes()
    {
        Assert.Equal(Hash("deep house in A minor", 12, 42), Hash("deep house in A minor", 12, 42));
        Assert.Equal(Hash("jazz trio", 12, null), Hash("jazz trio", 12, null));
    }

    [Fact]
    public void AnotherSeedOrPromptGivesAnotherTrack()
    {
        Assert.NotEqual(Hash("deep house in A minor", 12, 42), Hash("deep house in A minor", 12, 43));
        Assert.NotEqual(Hash("deep house in A minor", 12, 42), Hash("deep house in A major", 12, 42));
    }

    [Fact]
    public void RendersTheSameBytesWhileAnotherRenderRuns()
    {
        string alone = Hash("synthwave, 100 BPM", 12, 5);
        var concurrent = Enumerable.Range(0, 3).AsParallel().Select(_ => Hash("synthwave, 100 BPM", 12, 5)).ToList();
        Assert.All(concurrent, h => Assert.Equal(alone, h));
    }

    [Fact]
    public void RejectsDurationsOutsideItsRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrackSynthesizer.RenderWav(new SynthRequest("x", 0), Stream.Null));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrackSynthesizer.RenderWav(new SynthRequest("x", 601), Stream.Null));
    }

    [Fact]
    public void StopsWhenCancelled()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => TrackSynthesizer.RenderWav(new SynthRequest("rock", 30), Stream.Null, cancel.Token));
    }

    private static string Hash(string prompt, int seconds, long? seed)
    {
        using var wav = new MemoryStream();
        TrackSynthesizer.RenderWav(new SynthRequest(prompt, seconds, seed), wav);
        return Convert.ToHexString(SHA256.HashData(wav.ToArray()));
    }
}
