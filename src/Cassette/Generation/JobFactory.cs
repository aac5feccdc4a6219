using System;
using System.Linq;
using Cassette.Protocol;

namespace Cassette.Generation
{
    /// <summary>Builds CassetteJob objects from what the queue reports, keeping what is known of the submission.</summary>
    internal static class JobFactory
    {
        public static string StatusOf(FalStatus status)
        {
            if (status.IsCancelled) return CassetteJob.Cancelled;
            if (status.HasError) return CassetteJob.Failed;
            if (status.IsCompleted) return CassetteJob.Completed;
            return status.Status == FalStatus.InProgress ? CassetteJob.InProgress : CassetteJob.InQueue;
        }

        /// <summary>The job a fresh submission answer describes.</summary>
        public static CassetteJob Submitted(FalStatus status, FalModelId model, string prompt, int duration, Uri queueUrl) =>
            new CassetteJob(status.RequestId, CassetteJob.InQueue, status.QueuePosition, model.FullId, prompt, duration, Pricing.Estimate(model, duration),
                queueUrl, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null, null, null, null, status.StatusUrl, status.ResponseUrl, status.CancelUrl);

        /// <summary>A job known only by its id (not in the journal): what the caller said of its model and queue.</summary>
        public static CassetteJob Unknown(string requestId, FalModelId model, Uri queueUrl) =>
            new CassetteJob(requestId, CassetteJob.InQueue, null, model.FullId, null, null, null, queueUrl, null, DateTimeOffset.UtcNow,
                null, null, null, null, null, null, null, null);

        /// <summary>
        /// A journal entry to ask the queue about: what was submitted is kept, the last status and track are dropped, and
        /// the urls fal handed out are kept only while the model and queue are the ones they came from.
        /// </summary>
        public static CassetteJob Rebase(CassetteJob known, FalModelId model, Uri queueUrl)
        {
            bool same = known.QueueUrl == queueUrl && string.Equals(known.Model, model.FullId, StringComparison.OrdinalIgnoreCase);
            return new CassetteJob(known.RequestId, known.Status, null, model.FullId, known.Prompt, known.Duration, known.EstimatedCost, queueUrl,
                known.SubmittedAt, known.UpdatedAt, null, null, null, null, null,
                same ? known.StatusUrl : null, same ? known.ResponseUrl : null, same ? known.CancelUrl : null);
        }

        /// <summary>The same job as the queue now reports it.</summary>
        public static CassetteJob WithStatus(CassetteJob known, FalStatus status, bool includeLogs, CassetteTrack? track) =>
            new CassetteJob(known.RequestId, StatusOf(status), status.Status == FalStatus.InQueue ? status.QueuePosition : null, known.Model, known.Prompt,
                known.Duration, known.EstimatedCost, known.QueueUrl, known.SubmittedAt, DateTimeOffset.UtcNow,
                includeLogs ? status.Logs.Select(l => new CassetteLogEntry(l.Timestamp, l.Level, l.Message, known.RequestId)).ToArray() : null,
                status.Error, status.ErrorType, status.InferenceTime, track,
                status.StatusUrl ?? known.StatusUrl, status.ResponseUrl ?? known.ResponseUrl, status.CancelUrl ?? known.CancelUrl);

        public static CassetteJob WithFinalStatus(CassetteJob known, string finalStatus, string? error, string? errorType) =>
            new CassetteJob(known.RequestId, finalStatus, null, known.Model, known.Prompt, known.Duration, known.EstimatedCost, known.QueueUrl,
                known.SubmittedAt, DateTimeOffset.UtcNow, known.Logs, error, errorType, known.InferenceTime, known.Track,
                known.StatusUrl, known.ResponseUrl, known.CancelUrl);
    }
}
