using System.Buffers.Binary;
using Cassette.Audio;

namespace Cassette.Tests;

public class WavInfoTests
{
    internal static byte[] Wav(int sampleRate, short channels, int dataBytes, int actualDataBytes)
    {
        var bytes = new byte[44 + actualDataBytes];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), channels);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), sampleRate * channels * 2);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), (short)(channels * 2));
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), 16);
        "data"u8.CopyTo(bytes.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), dataBytes);
        return bytes;
    }

    [Fact]
    public void ReadsFormatAndDuration()
    {
        var info = WavInfo.Read(new MemoryStream(Wav(44100, 2, 44100 * 4 * 3, 44100 * 4 * 3)));
        Assert.Equal(44100, info.SampleRate);
        Assert.Equal(2, info.Channels);
        Assert.Equal(16, info.BitsPerSample);
        Assert.Equal(3.0, info.DurationSeconds, 6);
    }

    [Fact]
    public void ATruncatedFileIsInvalid() =>
        Assert.Throws<InvalidDataException>(() => WavInfo.Read(new MemoryStream(Wav(44100, 2, 1000, 10))));

    [Fact]
    public void ANonWavBodyIsInvalid() =>
        Assert.Throws<InvalidDataException>(() => WavInfo.Read(new MemoryStream("<html>not audio</html>"u8.ToArray())));
}
