using System;
using System.IO;
using System.Text;

namespace Cassette.Audio
{
    /// <summary>The format of a PCM WAV file, read from its RIFF chunks.</summary>
    internal sealed class WavInfo
    {
        private WavInfo(int sampleRate, int channels, int bitsPerSample, long dataBytes, long dataOffset)
        {
            SampleRate = sampleRate;
            Channels = channels;
            BitsPerSample = bitsPerSample;
            DataBytes = dataBytes;
            DataOffset = dataOffset;
        }

        public int SampleRate { get; }
        public int Channels { get; }
        public int BitsPerSample { get; }
        public long DataBytes { get; }
        public long DataOffset { get; }
        public double DurationSeconds => (double)DataBytes / (SampleRate * Channels * (BitsPerSample / 8));

        /// <summary>Reads the header; throws InvalidDataException when it is not a complete, consistent PCM WAV.</summary>
        public static WavInfo Read(Stream stream)
        {
            using var reader = new BinaryReader(stream, Encoding.ASCII, leaveOpen: true);
            long length = stream.Length;
            if (length < 12 || Tag(reader) != "RIFF") throw new InvalidDataException("The file is not a WAV file (no RIFF header).");
            reader.ReadUInt32();
            if (Tag(reader) != "WAVE") throw new InvalidDataException("The file is not a WAV file (no WAVE tag).");

            int? sampleRate = null, channels = null, bits = null;
            while (stream.Position + 8 <= length)
            {
                string id = Tag(reader);
                long size = reader.ReadUInt32();
                long bodyStart = stream.Position;
                if (id == "fmt ")
                {
                    if (size < 16 || bodyStart + size > length) throw new InvalidDataException("The WAV format chunk is truncated.");
                    short format = reader.ReadInt16();
                    channels = reader.ReadInt16();
                    sampleRate = reader.ReadInt32();
                    reader.ReadInt32();
                    reader.ReadInt16();
                    bits = reader.ReadInt16();
                    if (format != 1 && format != unchecked((short)0xFFFE)) throw new InvalidDataException($"The WAV is not PCM (format {format}).");
                }
                else if (id == "data")
                {
                    if (sampleRate is null || channels is null || bits is null) throw new InvalidDataException("The WAV data chunk comes before its format chunk.");
                    if (sampleRate <= 0 || channels <= 0 || bits <= 0 || bits % 8 != 0) throw new InvalidDataException("The WAV format chunk has impossible values.");
                    if (bodyStart + size > length) throw new InvalidDataException($"The WAV is truncated: its header announces {size} bytes of audio but only {length - bodyStart} follow.");
                    return new WavInfo(sampleRate.Value, channels.Value, bits.Value, size, bodyStart);
                }
                stream.Position = bodyStart + size + (size & 1);
            }
            throw new InvalidDataException("The WAV file has no data chunk.");
        }

        private static string Tag(BinaryReader reader) => Encoding.ASCII.GetString(reader.ReadBytes(4));
    }
}
