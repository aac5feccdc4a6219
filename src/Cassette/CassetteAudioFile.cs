namespace Cassette
{
    /// <summary>A WAV file saved to disk, described from its own header. Immutable; ToString() is the request id (the path when there is none).</summary>
    public sealed class CassetteAudioFile
    {
        public CassetteAudioFile(string path, long size, double duration, int sampleRate, int channels, int bitsPerSample,
            string? requestId, string? prompt)
        {
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
        public int BitsPerSample { get; }
        public string? RequestId { get; }
        public string? Prompt { get; }

        public override string ToString() => RequestId ?? Path;
    }
}
