using System;
using System.Collections.Generic;

namespace Cassette.Protocol
{
    /// <summary>A status object as the queue reports it.</summary>
    internal sealed class FalStatus
    {
        public FalStatus(string status, string requestId, int? queuePosition, Uri? responseUrl, Uri? statusUrl, Uri? cancelUrl,
            IReadOnlyList<FalLogEntry> logs, double? inferenceTime, string? error, string? errorType)
        {
            Status = status;
            RequestId = requestId;
            QueuePosition = queuePosition;
            ResponseUrl = responseUrl;
            StatusUrl = statusUrl;
            CancelUrl = cancelUrl;
            Logs = logs;
            InferenceTime = inferenceTime;
            Error = error;
            ErrorType = errorType;
        }

        public const string InQueue = "IN_QUEUE";
        public const string InProgress = "IN_PROGRESS";
        public const string Completed = "COMPLETED";

        public static bool IsKnown(string status) => status == InQueue || status == InProgress || status == Completed;

        public string Status { get; }
        public string RequestId { get; }
        public int? QueuePosition { get; }
        public Uri? ResponseUrl { get; }
        public Uri? StatusUrl { get; }
        public Uri? CancelUrl { get; }
        public IReadOnlyList<FalLogEntry> Logs { get; }
        public double? InferenceTime { get; }
        public string? Error { get; }
        public string? ErrorType { get; }
        public bool IsCompleted => Status == Completed;
        /// <summary>fal reports failures and cancellations as COMPLETED with an error.</summary>
        public bool HasError => IsCompleted && (Error != null || ErrorType != null);
        public bool IsCancelled => HasError && string.Equals(ErrorType, "client_cancelled", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What a cancel call found: fal answers 202, 400 ALREADY_COMPLETED or 404 NOT_FOUND.</summary>
    internal enum CancelOutcome
    {
        Requested,
        AlreadyCompleted,
        NotFound,
    }

    internal sealed class FalLogEntry
    {
        public FalLogEntry(string message, string level, DateTimeOffset? timestamp)
        {
            Message = message;
            Level = level;
            Timestamp = timestamp;
        }

        public string Message { get; }
        public string Level { get; }
        public DateTimeOffset? Timestamp { get; }
    }
}
