using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Journal;

namespace Cassette.Lifecycle
{
    /// <summary>
    /// A -BatchName item whose request an earlier run already paid for: one still in flight is waited for, and a
    /// completed one is read again from the queue and, once the queue no longer keeps it, returned with the file url the
    /// journal recorded. Nothing is submitted, and stopping only stops the waiting: the request belongs to the run that
    /// submitted it.
    /// </summary>
    internal static class BatchReuse
    {
        public static async Task<CassetteTrack> FetchAsync(RequestLifecycle lifecycle, CassetteRequest known, BatchItemKey item, TimeSpan? timeout,
            IMessageSink sink, CancellationToken cancellationToken)
        {
            sink.Verbose($"Reusing request {known.RequestId} ({known.Status}) for {item} instead of submitting it again.");
            // Read from the queue as it is now (the urls an old address handed out die with it), not the journal's track.
            var current = RequestSnapshots.Rebase(known, Protocol.FalModelId.Parse(known.Model), lifecycle.Client.QueueUrl);
            try
            {
                var track = await lifecycle.WaitForTrackAsync(current, timeout, sink, cancellationToken).ConfigureAwait(false);
                return track.InBatch(item.Batch, reused: true);
            }
            catch (FalApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && known.Track != null)
            {
                // fal keeps results for a limited time; the file itself outlives it, at the url recorded when it completed.
                sink.Verbose($"The queue no longer keeps request {known.RequestId}; using the file url the journal recorded.");
                return known.Track.InBatch(item.Batch, reused: true);
            }
            catch (FalApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                // In flight by the journal, unknown to the queue (a local engine restarted): it will never deliver. Recorded
                // as failed, the next run of the batch submits the item again instead of waiting for it forever.
                RecordLost(lifecycle.Journal, known, sink);
                throw;
            }
        }

        private static void RecordLost(RequestJournal journal, CassetteRequest known, IMessageSink sink)
        {
            if (journal.IsNone) return;
            try
            {
                journal.RecordStatus(known.RequestId, CassetteRequest.Failed, null, "The queue no longer knows this request.", "request_not_found");
            }
            catch (CassetteException ex) when (ex.Error == CassetteErrors.JournalUnavailable)
            {
                sink.Warning($"The journal could not record that request {known.RequestId} is lost: {ex.Message}");
            }
        }
    }
}
