using System;
using System.Collections.Generic;

namespace Cassette
{
    /// <summary>
    /// A request on the fal queue as last seen: by the server (Get-CassetteRequest -RequestId, New-CassetteTrack -NoWait)
    /// or by the local journal (Get-CassetteRequest with no id). Immutable; ToString() is the request id.
    /// Built by name: everything after the request id, model and queue is optional.
    /// </summary>
    public sealed class CassetteRequest
    {
        public const string InQueue = "InQueue";
        public const string InProgress = "InProgress";
        public const string Completed = "Completed";
        public const string Failed = "Failed";
        public const string Cancelled = "Cancelled";

        public CassetteRequest(string requestId, string model, Uri queueUrl, string status = InQueue, int? queuePosition = null,
            string? prompt = null, int? duration = null, decimal? estimatedCost = null, DateTimeOffset? submittedAt = null,
            DateTimeOffset? updatedAt = null, IReadOnlyList<CassetteLogEntry>? logs = null, string? error = null, string? errorType = null,
            double? inferenceTime = null, CassetteTrack? track = null, Uri? statusUrl = null, Uri? responseUrl = null, Uri? cancelUrl = null)
        {
            RequestId = requestId ?? throw new ArgumentNullException(nameof(requestId));
            Model = model ?? throw new ArgumentNullException(nameof(model));
            QueueUrl = queueUrl ?? throw new ArgumentNullException(nameof(queueUrl));
            Status = status;
            QueuePosition = queuePosition;
            Prompt = prompt;
            Duration = duration;
            EstimatedCost = estimatedCost;
            SubmittedAt = submittedAt;
            UpdatedAt = updatedAt ?? DateTimeOffset.UtcNow;
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
