using System;
using System.Collections.Generic;

namespace Cassette.Journal
{
    /// <summary>What the journal knows of one request: its submission line and the status lines written after it.</summary>
    internal sealed class JournalEntry
    {
        private readonly JournalLine _submission;

        /// <param name="submission">The request's last submission line.</param>
        /// <param name="laterStatuses">Its status lines written after that submission, newest first (as read backwards).</param>
        /// <param name="readOrder">How many entries were read before this one, backwards: breaks ties of submission time.</param>
        public JournalEntry(JournalLine submission, IReadOnlyList<JournalLine>? laterStatuses, long readOrder)
        {
            _submission = submission;
            ReadOrder = readOrder;
            UpdatedAt = submission.At;
            if (laterStatuses is null) return;
            // Oldest first, each status line over the ones before it, as they were written.
            for (int i = laterStatuses.Count - 1; i >= 0; i--)
            {
                var line = laterStatuses[i];
                Status = line.Status ?? Status;
                UpdatedAt = line.At ?? UpdatedAt;
                AudioUrl = line.AudioUrl ?? AudioUrl;
                Error = line.Error;
                ErrorType = line.ErrorType;
            }
        }

        public string RequestId => _submission.RequestId;
        public DateTimeOffset? SubmittedAt => _submission.At;
        public long ReadOrder { get; }
        public string Model => _submission.Model;
        public string? Prompt => _submission.Prompt;
        public int? Duration => _submission.Duration;
        /// <summary>The -BatchName batch and the item's place among identical items, when it was submitted for a batch.</summary>
        public string? Batch => _submission.Batch;
        public int? BatchItem => _submission.BatchItem;
        public string Status { get; } = CassetteRequest.InQueue;
        public DateTimeOffset? UpdatedAt { get; }
        public Uri? AudioUrl { get; }
        public string? Error { get; }
        public string? ErrorType { get; }

        public CassetteRequest ToRequest()
        {
            var s = _submission;
            CassetteTrack? track = Status == CassetteRequest.Completed && AudioUrl != null
                ? new CassetteTrack(requestId: RequestId, model: s.Model, prompt: s.Prompt ?? string.Empty, duration: s.Duration ?? 0, audioUrl: AudioUrl,
                    contentType: null, fileName: null, fileSize: null, inferenceTime: null, estimatedCost: s.EstimatedCost, queueUrl: s.QueueUrl!)
                : null;
            return new CassetteRequest(RequestId, s.Model, s.QueueUrl!, status: Status, prompt: s.Prompt, duration: s.Duration, estimatedCost: s.EstimatedCost,
                submittedAt: SubmittedAt, updatedAt: UpdatedAt ?? DateTimeOffset.MinValue, error: Error, errorType: ErrorType, track: track,
                statusUrl: s.StatusUrl, responseUrl: s.ResponseUrl, cancelUrl: s.CancelUrl);
        }
    }
}
