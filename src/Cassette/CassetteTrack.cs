using System;

namespace Cassette
{
    /// <summary>A completed generation: what was asked, where the audio is, and what it cost. Immutable; ToString() is the request id.</summary>
    public sealed class CassetteTrack
    {
        public CassetteTrack(string requestId, string model, string prompt, int duration, Uri audioUrl, string? contentType,
            string? fileName, long? fileSize, double? inferenceTime, decimal? estimatedCost, Uri queueUrl)
        {
            RequestId = requestId;
            Model = model;
            Prompt = prompt;
            Duration = duration;
            AudioUrl = audioUrl;
            ContentType = contentType;
            FileName = fileName;
            FileSize = fileSize;
            InferenceTime = inferenceTime;
            EstimatedCost = estimatedCost;
            QueueUrl = queueUrl;
        }

        public string RequestId { get; }
        public string Model { get; }
        public string Prompt { get; }
        /// <summary>Requested length in seconds.</summary>
        public int Duration { get; }
        public Uri AudioUrl { get; }
        public string? ContentType { get; }
        public string? FileName { get; }
        public long? FileSize { get; }
        /// <summary>Server-side generation time in seconds, as fal's metrics report it.</summary>
        public double? InferenceTime { get; }
        /// <summary>Estimated price in US dollars.</summary>
        public decimal? EstimatedCost { get; }
        public Uri QueueUrl { get; }

        public override string ToString() => RequestId;
    }
}
