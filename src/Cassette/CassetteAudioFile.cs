namespace Cassette
{
    /// <summary>
    /// A WAV file saved to disk, described from its own header. Immutable; ToString() is its full path, as for a FileInfo,
    /// so Get-Item, Remove-Item and Invoke-Item take it.
    /// </summary>
    public sealed class CassetteAudioFile
    {
        public CassetteAudioFile(string path, long size, double duration, int sampleRate, int channels, int bitsPerSample,
            string? requestId, string? prompt, string sampleFormat = "PCM")
        {
            SampleFormat = sampleFormat;
            Path = path;
            Size = size;
            Duration = duration;
            SampleRate = sampleRate;
            Channels = channels;
            BitsPerSample = bitsPerSample;
            RequestId = requestId;
            Prompt = prompt;
        }

        public string Path { get; }
        public long Size { get; }
        /// <summary>Length in seconds, from the WAV header.</summary>
        public double Duration { get; }
        public int SampleRate { get; }
        public int Channels { get; }
        /// <summary>Bits per sample: 8, 16, 24 or 32 (PCM), 32 or 64 (IEEE float).</summary>
        public int BitsPerSample { get; }
        /// <summary>"PCM" (integer samples) or "IEEE float", from the format chunk (WAVE_FORMAT_EXTENSIBLE's sub-format when it has one).</summary>
        public string SampleFormat { get; }
        public string? RequestId { get; }
        public string? Prompt { get; }

        public override string ToString() => Path;
    }
}
