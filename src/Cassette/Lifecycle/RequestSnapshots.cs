using System;
using System.Linq;
using Cassette.Protocol;

namespace Cassette.Lifecycle
{
    /// <summary>Builds CassetteRequest snapshots from what the queue reports, keeping what is known of the submission.</summary>
    internal static class RequestSnapshots
    {
        public static string StatusOf(FalStatus status)
        {
            if (status.IsCancelled) return CassetteRequest.Cancelled;
            if (status.HasError) return CassetteRequest.Failed;
            if (status.IsCompleted) return CassetteRequest.Completed;
            return status.Status == FalStatus.InProgress ? CassetteRequest.InProgress : CassetteRequest.InQueue;
        }

        /// <summary>The request a fresh submission answer describes.</summary>
        public static CassetteRequest Submitted(FalStatus status, FalModelId model, string prompt, int duration, Uri queueUrl)
        {
            var now = DateTimeOffset.UtcNow;
            return new CassetteRequest(status.RequestId, model.FullId, queueUrl, queuePosition: status.QueuePosition, prompt: prompt, duration: duration,
                estimatedCost: Pricing.Estimate(model, duration), submittedAt: now, updatedAt: now,
                statusUrl: status.StatusUrl, responseUrl: status.ResponseUrl, cancelUrl: status.CancelUrl);
        }

        /// <summary>A request known only by its id (not in the journal): what the caller said of its model and queue.</summary>
        public static CassetteRequest Unknown(string requestId, FalModelId model, Uri queueUrl) =>
            new CassetteRequest(requestId, model.FullId, queueUrl);

        /// <summary>
        /// A journal entry to ask the queue about: what was submitted is kept, the last status and track are dropped, and
        /// the urls fal handed out are kept only while the model and queue are the ones they came from.
        /// </summary>
        public static CassetteRequest Rebase(CassetteRequest known, FalModelId model, Uri queueUrl)
        {
            bool same = known.QueueUrl == queueUrl && string.Equals(known.Model, model.FullId, StringComparison.OrdinalIgnoreCase);
            return new CassetteRequest(known.RequestId, model.FullId, queueUrl, status: known.Status, prompt: known.Prompt, duration: known.Duration,
                estimatedCost: known.EstimatedCost, submittedAt: known.SubmittedAt, updatedAt: known.UpdatedAt,
                statusUrl: same ? known.StatusUrl : null, responseUrl: same ? known.ResponseUrl : null, cancelUrl: same ? known.CancelUrl : null);
        }

        /// <summary>The same request as the queue now reports it.</summary>
        public static CassetteRequest WithStatus(CassetteRequest known, FalStatus status, bool includeLogs, CassetteTrack? track) =>
            new CassetteRequest(known.RequestId, known.Model, known.QueueUrl, status: StatusOf(status),
                queuePosition: status.Status == FalStatus.InQueue ? status.QueuePosition : null, prompt: known.Prompt, duration: known.Duration,
                estimatedCost: known.EstimatedCost, submittedAt: known.SubmittedAt,
                logs: includeLogs ? status.Logs.Select(l => new CassetteLogEntry(l.Timestamp, l.Level, l.Message, known.RequestId)).ToArray() : null,
                error: status.Error, errorType: status.ErrorType, inferenceTime: status.InferenceTime, track: track,
                statusUrl: status.StatusUrl ?? known.StatusUrl, responseUrl: status.ResponseUrl ?? known.ResponseUrl, cancelUrl: status.CancelUrl ?? known.CancelUrl);

        /// <summary>
        /// The track a successful result describes. The server's file name is only a suggestion: "../../x.wav" or
        /// "CON.wav" must not become a name anyone writes to, so it is made safe here.
        /// </summary>
        public static CassetteTrack Track(CassetteRequest request, TrackResult result, FalStatus completed) =>
            new CassetteTrack(requestId: request.RequestId, model: request.Model, prompt: request.Prompt ?? string.Empty, duration: request.Duration ?? 0,
                audioUrl: result.AudioUrl, contentType: result.ContentType,
                fileName: string.IsNullOrWhiteSpace(result.FileName) ? null : Download.SafeFileName.ForServerName(result.FileName!),
                fileSize: result.FileSize, inferenceTime: completed.InferenceTime, estimatedCost: request.EstimatedCost, queueUrl: request.QueueUrl);
    }
}
