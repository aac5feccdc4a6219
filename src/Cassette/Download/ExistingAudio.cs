using System;
using System.IO;
using Cassette.Audio;

namespace Cassette.Download
{
    /// <summary>
    /// Whether a file already at a destination is the audio a save would write: a PCM WAV whose RIFF header accounts for
    /// every byte (nothing cut short, nothing appended) and, when the result announced one, of the expected size. Such a
    /// file is what a completed download leaves, since downloads are renamed into place only when whole.
    /// </summary>
    internal static class ExistingAudio
    {
        public static WavInfo? ReadIfComplete(string path, long? expectedSize)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                if (expectedSize is long size && stream.Length != size) return null;
                var header = new byte[8];
                if (stream.Read(header, 0, header.Length) != header.Length) return null;
                long riffEnd = BitConverter.ToUInt32(header, 4) + 8L;
                if (riffEnd != stream.Length) return null;
                stream.Position = 0;
                return WavInfo.Read(stream);
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
