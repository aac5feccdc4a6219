using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Journal;
using Cassette.Protocol;

namespace Cassette.Lifecycle
{
    /// <summary>
    /// The one life of a request, from every cmdlet's side: submit it and record it in the journal, wait for it (stream,
    /// else poll), read its result, record its outcome; read its status; cancel it. It reads nothing from the session and
    /// reports only through an IMessageSink, so it runs on any thread, in the foreground or in a job.
    /// Only a request this lifecycle submitted is cancelled when the work is stopped or its deadline passes: waiting on
    /// someone else's request (Get-CassetteJob -Wait, Save-CassetteAudio) only stops waiting.
    /// </summary>
    internal sealed class RequestLifecycle
    {
        /// <summary>How long the remote cancel after Ctrl+C or a timeout may take before the work gives up on it.</summary>
        public static readonly TimeSpan CancelDeadline = TimeSpan.FromSeconds(10);

        public RequestLifecycle(FalQueueClient client, RequestJournal journal)
        {
            Client = client ?? throw new ArgumentNullException(nameof(client));
            Journal = journal ?? throw new ArgumentNullException(nameof(journal));
        }

        public FalQueueClient Client { get; }
        /// <summary>Where outcomes are recorded; RequestJournal.None records nothing.</summary>
        public RequestJournal Journal { get; }
        /// <summary>Follow the status stream (else poll from the start); tests turn it off.</summary>
        public bool UseStatusStream { get; set; } = true;
        public TimeSpan PollInterval { get; set; } = RequestWaiter.DefaultPollInterval;

        /// <summary>Submits a track's input and records the request in the journal; returns it queued.</summary>
        public async Task<CassetteRequest> SubmitAsync(TrackInput input, IMessageSink sink, CancellationToken cancellationToken)
        {
            sink.Progress(new ActivityProgress(input.ActivityId, input.Activity, ActivityPhase.Submitting, null, null, DateTimeOffset.UtcNow));
            var body = new Dictionary<string, object?> { ["prompt"] = input.Prompt, ["duration"] = input.Duration };
            var submitted = await Client.SubmitAsync(input.Model, body, input.SubmitOptions, sink.Verbose, cancellationToken).ConfigureAwait(false);
            var request = RequestSnapshots.Submitted(submitted, input.Model, input.Prompt, input.Duration, Client.QueueUrl);
            sink.Verbose($"Submitted request {request.RequestId} ({input.Model.FullId}, {input.Duration} s, about ${request.EstimatedCost}).");
            try
            {
                Journal.RecordSubmission(request);
            }
            catch (CassetteException ex) when (ex.Error == CassetteErrors.JournalUnavailable)
            {
                // The money is spent: losing the journal line must not lose the request, so say its id loudly and go on.
                sink.Warning($"Request {request.RequestId} could not be recorded in the journal: {ex.Message}");
            }
            return request;
        }

        /// <summary>
        /// Submits, waits and returns the finished track. On a stop or when <paramref name="timeout"/> passes, the
        /// submitted request is cancelled on the queue before this returns. <paramref name="submitted"/> hears of the
        /// request as soon as it exists, so a failure after it can name it; <paramref name="completed"/> hears of the track
        /// as soon as it is read, before its outcome is journaled, so the caller can hand it on without waiting for the file.
        /// </summary>
        public async Task<CassetteTrack> GenerateAsync(TrackInput input, TimeSpan? timeout, IMessageSink sink, Action<CassetteRequest>? submitted,
            Action<CassetteTrack>? completed, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is TimeSpan limit) deadline.CancelAfter(limit);
            CassetteRequest? request = null;
            try
            {
                request = await SubmitAsync(input, sink, deadline.Token).ConfigureAwait(false);
                submitted?.Invoke(request);
                return await FinishAsync(request, input.ActivityId, input.Activity, submittedHere: true, sink, completed, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (request != null && deadline.IsCancellationRequested)
            {
                bool timedOut = !cancellationToken.IsCancellationRequested;
                await CancelQuietlyAsync(request, timedOut ? "the client deadline (-TimeoutSec) passed" : "the command was stopped", sink).ConfigureAwait(false);
                if (!timedOut) throw;
                throw new CassetteException(CassetteErrors.Timeout,
                    $"Request {request.RequestId} did not complete within {timeout!.Value.TotalSeconds:0} s (-TimeoutSec); it was cancelled.", request.RequestId);
            }
            catch (OperationCanceledException) when (request is null && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CassetteException(CassetteErrors.Timeout, $"The submission did not complete within {timeout!.Value.TotalSeconds:0} s (-TimeoutSec).");
            }
        }

        /// <summary>
        /// Waits for a request submitted earlier (maybe by another process) and returns its track. Stopping it, or the
        /// deadline, stops the waiting only: the request belongs to whoever submitted it.
        /// </summary>
        public async Task<CassetteTrack> WaitForTrackAsync(CassetteRequest request, TimeSpan? timeout, IMessageSink sink, CancellationToken cancellationToken)
        {
            if (request.Track != null) return request.Track;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is TimeSpan limit) deadline.CancelAfter(limit);
            try
            {
                return await FinishAsync(request, ActivityProgress.NewActivityId(), $"Waiting for request {request.RequestId}", submittedHere: false, sink,
                    completed: null, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CassetteException(CassetteErrors.Timeout,
                    $"Request {request.RequestId} did not complete within {timeout!.Value.TotalSeconds:0} s (-TimeoutSec); it is still on the queue.", request.RequestId);
            }
        }

        /// <summary>The request as the queue reports it now, with its track once completed; a final status is recorded.</summary>
        public async Task<CassetteRequest> ReadStatusAsync(CassetteRequest request, bool includeLogs, IMessageSink sink, CancellationToken cancellationToken)
        {
            var model = FalModelId.Parse(request.Model);
            var status = await Client.GetStatusAsync(model, request.RequestId, request.StatusUrl, includeLogs, sink.Verbose, cancellationToken).ConfigureAwait(false);
            CassetteTrack? track = null;
            if (status.IsCompleted && !status.HasError)
                track = await ResultReader.ReadTrackAsync(Client, request, status, sink.Verbose, cancellationToken).ConfigureAwait(false);
            var current = RequestSnapshots.WithStatus(request, status, includeLogs, track);
            if (current.IsFinished) Record(current, current.Status, track?.AudioUrl, current.Error, current.ErrorType, submittedHere: false, sink);
            return current;
        }

        /// <summary>Asks the queue to cancel a request; a cancel it accepted is recorded in the journal.</summary>
        public async Task<CancelOutcome> CancelAsync(CassetteRequest request, string reason, IMessageSink sink, CancellationToken cancellationToken) =>
            await CancelAsync(request, reason, submittedHere: false, sink, cancellationToken).ConfigureAwait(false);

        private async Task<CancelOutcome> CancelAsync(CassetteRequest request, string reason, bool submittedHere, IMessageSink sink,
            CancellationToken cancellationToken)
        {
            var outcome = await Client.CancelAsync(FalModelId.Parse(request.Model), request.RequestId, request.CancelUrl, sink.Verbose, cancellationToken)
                .ConfigureAwait(false);
            if (outcome == CancelOutcome.Requested)
                Record(request, CassetteRequest.Cancelled, null, reason, "client_cancelled", submittedHere, sink);
            return outcome;
        }

        /// <summary>
        /// Waits for a request, reads its result and records its outcome: the part every wait shares. The track goes to
        /// <paramref name="completed"/> before the outcome is recorded: the journal's write is not on the way from
        /// COMPLETED to the pipeline (the request's id is journaled since its submission, so nothing can be lost).
        /// </summary>
        private async Task<CassetteTrack> FinishAsync(CassetteRequest request, int activityId, string activity, bool submittedHere, IMessageSink sink,
            Action<CassetteTrack>? completed, CancellationToken cancellationToken)
        {
            var waiter = new RequestWaiter(Client, sink, activityId, activity) { UseStatusStream = UseStatusStream, PollInterval = PollInterval };
            try
            {
                var status = await waiter.WaitAsync(FalModelId.Parse(request.Model), request.RequestId, request.StatusUrl, cancellationToken).ConfigureAwait(false);
                // The result is asked for before the completion is reported (a verbose line, a progress record, new log
                // lines): the report is then made while the answer travels, not on the way from COMPLETED to the track.
                var reading = ResultReader.ReadTrackAsync(Client, request, status, sink.Verbose, cancellationToken);
                waiter.Report(status);
                try
                {
                    var track = await reading.ConfigureAwait(false);
                    completed?.Invoke(track);
                    Record(request, CassetteRequest.Completed, track.AudioUrl, null, null, submittedHere, sink);
                    return track;
                }
                catch (CassetteException failure) when (ResultReader.IsFinalOutcome(failure))
                {
                    // Only the request's own outcome is recorded: trouble reaching or reading it may pass, and the request may still deliver.
                    Record(request, failure.Error == CassetteErrors.RequestCancelled ? CassetteRequest.Cancelled : CassetteRequest.Failed, null,
                        status.Error ?? failure.Message, status.ErrorType, submittedHere, sink);
                    throw;
                }
            }
            finally
            {
                if (!submittedHere)
                    sink.Progress(new ActivityProgress(activityId, activity, ActivityPhase.Done, request.RequestId, null, DateTimeOffset.UtcNow));
            }
        }

        /// <summary>The cancel after a stop or a deadline: the caller's token is spent, so it gets a deadline of its own, and it never throws.</summary>
        private async Task CancelQuietlyAsync(CassetteRequest request, string reason, IMessageSink sink)
        {
            using var cancel = new CancellationTokenSource(CancelDeadline);
            try
            {
                var outcome = await CancelAsync(request, reason, submittedHere: true, sink, cancel.Token).ConfigureAwait(false);
                sink.Verbose($"Request {request.RequestId}: {reason}; cancel {(outcome == CancelOutcome.Requested ? "requested" : "found it " + outcome)}.");
            }
            catch (Exception ex) when (ex is CassetteException || ex is OperationCanceledException)
            {
                sink.Warning($"Request {request.RequestId} could not be cancelled ({ex.Message}); it may still run and be billed. " +
                    $"Stop-CassetteJob -RequestId {request.RequestId} retries.");
            }
        }

        /// <summary>
        /// Records a final status. A request submitted here is always recorded; another only when the journal knows it
        /// with a different status. A journal that cannot be written costs the record and a warning, never the request.
        /// </summary>
        private void Record(CassetteRequest request, string status, Uri? audioUrl, string? error, string? errorType, bool submittedHere, IMessageSink sink)
        {
            if (Journal.IsNone) return;
            try
            {
                if (!submittedHere && !(Journal.Find(request.RequestId) is CassetteRequest known && known.Status != status)) return;
                Journal.RecordStatus(request.RequestId, status, audioUrl, error, errorType);
            }
            catch (CassetteException ex) when (ex.Error == CassetteErrors.JournalUnavailable)
            {
                sink.Warning($"The journal could not record that request {request.RequestId} is {status}: {ex.Message}");
            }
        }
    }
}
