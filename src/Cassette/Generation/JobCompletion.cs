using System;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Journal;
using Cassette.Protocol;

namespace Cassette.Generation
{
    /// <summary>
    /// Waits for a request submitted earlier (maybe by another process) and returns its track. Stopping it stops the
    /// waiting only: the request belongs to whoever submitted it, and Stop-CassetteJob is the way to cancel it.
    /// </summary>
    internal static class JobCompletion
    {
        public static async Task<CassetteTrack> WaitForTrackAsync(FalQueueClient client, CassetteJob job, JobJournal? journal, IGenerationSink sink,
            TimeSpan? timeout, CancellationToken cancellationToken)
        {
            if (job.Track != null) return job.Track;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is TimeSpan limit) deadline.CancelAfter(limit);
            var settings = new GenerationSettings(client, FalModelId.Parse(job.Model), SubmitOptions.Default, journal ?? new JobJournal(string.Empty), timeout);
            int activityId = GenerationProgress.NewActivityId();
            var waiter = new RequestWaiter(settings, sink, activityId, $"Waiting for request {job.RequestId}");
            try
            {
                var completed = await waiter.WaitAsync(settings.Model, job.RequestId, job.StatusUrl, deadline.Token).ConfigureAwait(false);
                try
                {
                    var track = await ResultReader.ReadTrackAsync(client, job, completed, sink.Verbose, deadline.Token).ConfigureAwait(false);
                    TryRecord(journal, job, CassetteJob.Completed, track.AudioUrl, null, null);
                    return track;
                }
                catch (CassetteException failure) when (failure.ErrorId == "RequestCancelled" || failure.ErrorId == "GenerationFailed" || failure.ErrorId == "StartTimeoutExpired")
                {
                    TryRecord(journal, job, failure.ErrorId == "RequestCancelled" ? CassetteJob.Cancelled : CassetteJob.Failed, null, completed.Error ?? failure.Message, completed.ErrorType);
                    throw;
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CassetteException("Timeout", System.Management.Automation.ErrorCategory.OperationTimeout,
                    $"Request {job.RequestId} did not complete within {timeout!.Value.TotalSeconds:0} s (-TimeoutSec); it is still on the queue.", job.RequestId);
            }
            finally
            {
                sink.Progress(new GenerationProgress(activityId, $"Waiting for request {job.RequestId}", GenerationPhase.Done, job.RequestId, null, DateTimeOffset.UtcNow));
            }
        }

        /// <summary>Records a final status for a request the journal knows; a journal that cannot be written only costs the record.</summary>
        public static void TryRecord(JobJournal? journal, CassetteJob job, string status, Uri? audioUrl, string? error, string? errorType)
        {
            if (journal is null || string.IsNullOrEmpty(journal.Path)) return;
            try
            {
                if (journal.Find(job.RequestId) is CassetteJob known && known.Status != status)
                    journal.RecordStatus(job.RequestId, status, audioUrl, error, errorType);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                // The journal is a convenience for finding requests again; the server still has the truth.
            }
        }
    }
}
