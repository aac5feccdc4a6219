using System;
using System.Collections.Generic;

namespace Cassette
{
    /// <summary>
    /// A request on the queue as last seen: by the server (Get-CassetteJob -RequestId, New-CassetteTrack -NoWait)
    /// or by the local journal (Get-CassetteJob with no id). Immutable; ToString() is the request id.
    /// </summary>
    public sealed class CassetteJob
    {
        public const string InQueue = "InQueue";
        public const string InProgress = "InProgress";
        public const string Completed = "Completed";
        public const string Failed = "Failed";
        public const string Cancelled = "Cancelled";

        public CassetteJob(string requestId, string status, int? queuePosition, string model, string? prompt, int? duration,
            decimal? estimatedCost, Uri queueUrl, DateTimeOffset? submittedAt, DateTimeOffset updatedAt, IReadOnlyList<CassetteLogEntry>? logs,
            string? error, string? errorType, double? inferenceTime, CassetteTrack? track, Uri? statusUrl, Uri? responseUrl, Uri? cancelUrl)
        {
            RequestId = requestId;
            Status = status;
            QueuePosition = queuePosition;
            Model = model;
            Prompt = prompt;
            Duration = duration;
            EstimatedCost = estimatedCost;
            QueueUrl = queueUrl;
            SubmittedAt = submittedAt;
            UpdatedAt = updatedAt;
            Logs = logs ?? Array.Empty<CassetteLogEntry>();
            Error = error;
            ErrorType = errorType;
            InferenceTime = inferenceTime;
            Track = track;
            StatusUrl = statusUrl;
            ResponseUrl = responseUrl;
            CancelUrl = cancelUrl;
        }

        public string RequestId { get; }
        /// <summary>InQueue, InProgress, Completed, Failed or Cancelled.</summary>
        public string Status { get; }
        /// <summary>Requests ahead of this one (0-based) while it is in the queue.</summary>
        public int? QueuePosition { get; }
        public string Model { get; }
        /// <summary>Known when this session or the journal saw the submission.</summary>
        public string? Prompt { get; }
        public int? Duration { get; }
        /// <summary>Estimated price in US dollars.</summary>
        public decimal? EstimatedCost { get; }
        public Uri QueueUrl { get; }
        public DateTimeOffset? SubmittedAt { get; }
        /// <summary>When this status was seen.</summary>
        public DateTimeOffset UpdatedAt { get; }
        /// <summary>The server's logs, with -IncludeLogs.</summary>
        public IReadOnlyList<CassetteLogEntry> Logs { get; }
        public string? Error { get; }
        public string? ErrorType { get; }
        public double? InferenceTime { get; }
        /// <summary>The finished track once the request completed successfully.</summary>
        public CassetteTrack? Track { get; }
        public Uri? AudioUrl => Track?.AudioUrl;
        public Uri? StatusUrl { get; }
        public Uri? ResponseUrl { get; }
        public Uri? CancelUrl { get; }

        internal bool IsFinished => Status == Completed || Status == Failed || Status == Cancelled;

        public override string ToString() => RequestId;
    }
}
