using System;

namespace Cassette
{
    /// <summary>A completed generation: what was asked, where the audio is, and what it cost. Immutable; ToString() is the request id.</summary>
    public sealed class CassetteTrack
    {
        public CassetteTrack(string requestId, string model, string prompt, int duration, Uri audioUrl, string? contentType,
            string? fileName, long? fileSize, double? inferenceTime, decimal? estimatedCost, Uri queueUrl, string? batchName = null, bool reused = false)
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
            BatchName = batchName;
            Reused = reused;
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
        /// <summary>The New-CassetteTrack -BatchName the track was made for; null outside a batch.</summary>
        public string? BatchName { get; }
        /// <summary>True when a run of the batch returned this track from an earlier request instead of submitting (and paying) again.</summary>
        public bool Reused { get; }

        /// <summary>The same track as an item of a batch.</summary>
        internal CassetteTrack InBatch(string batchName, bool reused) =>
            new CassetteTrack(requestId: RequestId, model: Model, prompt: Prompt, duration: Duration, audioUrl: AudioUrl, contentType: ContentType,
                fileName: FileName, fileSize: FileSize, inferenceTime: InferenceTime, estimatedCost: EstimatedCost, queueUrl: QueueUrl,
                batchName: batchName, reused: reused);

        public override string ToString() => RequestId;
    }
}
