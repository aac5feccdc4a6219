using System;
using System.IO;
using System.Text;

namespace Cassette.Audio
{
    /// <summary>
    /// The format of a WAV file, read from its RIFF chunks. fal publishes only "WAV, 44.1 kHz stereo", so every common
    /// shape is accepted: integer PCM of 8, 16, 24 or 32 bits, IEEE float (format 3) of 32 or 64 bits, and either of them
    /// in WAVE_FORMAT_EXTENSIBLE (0xFFFE), whose sub-format GUID carries the real format code.
    /// </summary>
    internal sealed class WavInfo
    {
        public const string Pcm = "PCM";
        public const string IeeeFloat = "IEEE float";

        private const int FormatPcm = 1;
        private const int FormatIeeeFloat = 3;
        private const int FormatExtensible = 0xFFFE;

        private WavInfo(int sampleRate, int channels, int bitsPerSample, string sampleFormat, long dataBytes, long dataOffset)
        {
            SampleFormat = sampleFormat;
            SampleRate = sampleRate;
            Channels = channels;
            BitsPerSample = bitsPerSample;
            DataBytes = dataBytes;
            DataOffset = dataOffset;
        }

        public int SampleRate { get; }
        public int Channels { get; }
        public int BitsPerSample { get; }
        /// <summary>"PCM" (integer samples) or "IEEE float".</summary>
        public string SampleFormat { get; }
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
            string? sampleFormat = null;
            while (stream.Position + 8 <= length)
            {
                string id = Tag(reader);
                long size = reader.ReadUInt32();
                long bodyStart = stream.Position;
                if (id == "fmt ")
                {
                    if (size < 16 || bodyStart + size > length) throw new InvalidDataException("The WAV format chunk is truncated.");
                    int format = reader.ReadUInt16();
                    channels = reader.ReadInt16();
                    sampleRate = reader.ReadInt32();
                    reader.ReadInt32();
                    reader.ReadInt16();
                    bits = reader.ReadInt16();
                    if (format == FormatExtensible)
                    {
                        // cbSize, valid bits, channel mask, then the sub-format GUID whose first two bytes are the format code.
                        if (size < 40) throw new InvalidDataException("The WAV's WAVE_FORMAT_EXTENSIBLE chunk is truncated.");
                        reader.ReadUInt16();
                        reader.ReadUInt16();
                        reader.ReadUInt32();
                        format = reader.ReadUInt16();
                    }
                    sampleFormat = SampleFormatOf(format, bits.Value);
                }
                else if (id == "data")
                {
                    if (sampleRate is null || channels is null || bits is null) throw new InvalidDataException("The WAV data chunk comes before its format chunk.");
                    if (sampleRate <= 0 || channels <= 0 || bits <= 0 || bits % 8 != 0) throw new InvalidDataException("The WAV format chunk has impossible values.");
                    if (bodyStart + size > length) throw new InvalidDataException($"The WAV is truncated: its header announces {size} bytes of audio but only {length - bodyStart} follow.");
                    return new WavInfo(sampleRate.Value, channels.Value, bits.Value, sampleFormat!, size, bodyStart);
                }
                stream.Position = bodyStart + size + (size & 1);
            }
            throw new InvalidDataException("The WAV file has no data chunk.");
        }

        /// <summary>The sample format a format code and depth describe; anything else is not audio the module can vouch for.</summary>
        private static string SampleFormatOf(int format, int bits)
        {
            if (format == FormatPcm && (bits == 8 || bits == 16 || bits == 24 || bits == 32)) return Pcm;
            if (format == FormatIeeeFloat && (bits == 32 || bits == 64)) return IeeeFloat;
            if (format == FormatPcm || format == FormatIeeeFloat)
                throw new InvalidDataException($"The WAV has {bits}-bit samples, which its format ({(format == FormatPcm ? Pcm : IeeeFloat)}) does not allow.");
            throw new InvalidDataException($"The WAV is neither PCM nor IEEE float (format {format}).");
        }

        private static string Tag(BinaryReader reader) => Encoding.ASCII.GetString(reader.ReadBytes(4));
    }
}
