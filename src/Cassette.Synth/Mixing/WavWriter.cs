using System.Buffers.Binary;

namespace Cassette.Synth;

/// <summary>Writes canonical 44-byte-header PCM WAV files.</summary>
public static class WavWriter
{
    public const int HeaderSize = 44;

    public static void WriteHeader(Stream destination, int sampleRate, short channels, short bitsPerSample, long frameCount)
    {
        int blockAlign = channels * bitsPerSample / 8;
        long dataBytes = frameCount * blockAlign;
        if (dataBytes > uint.MaxValue - HeaderSize)
            throw new ArgumentOutOfRangeException(nameof(frameCount), "The audio is too long for a WAV file.");
        Span<byte> header = stackalloc byte[HeaderSize];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(dataBytes + HeaderSize - 8));
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], channels);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], (short)blockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], bitsPerSample);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
        destination.Write(header);
    }

    /// <summary>Writes a 16-bit WAV from interleaved samples.</summary>
    public static void Write(Stream destination, ReadOnlySpan<short> interleaved, int sampleRate, short channels)
    {
        WriteHeader(destination, sampleRate, channels, 16, interleaved.Length / channels);
        var bytes = new byte[64 * 1024];
        while (!interleaved.IsEmpty)
        {
            int count = Math.Min(bytes.Length / 2, interleaved.Length);
            for (int i = 0; i < count; i++)
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), interleaved[i]);
            destination.Write(bytes, 0, count * 2);
            interleaved = interleaved[count..];
        }
    }
}
