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

        /// <summary>
        /// Submits a track's input and records the request in the journal; returns it queued. A stop that cut the
        /// submission off after it was sent is still a stop, with a warning that a request may have been made.
        /// </summary>
        public async Task<CassetteRequest> SubmitAsync(TrackInput input, IMessageSink sink, CancellationToken cancellationToken)
        {
            try
            {
                return await SubmitAndRecordAsync(input, sink, cancellationToken).ConfigureAwait(false);
            }
            catch (SubmissionInterruptedException interrupted)
            {
                sink.Warning(interrupted.Describe("the command was stopped"));
                throw;
            }
        }

        private async Task<CassetteRequest> SubmitAndRecordAsync(TrackInput input, IMessageSink sink, CancellationToken cancellationToken)
        {
            sink.Progress(new ActivityProgress(input.ActivityId, input.Activity, ActivityPhase.Submitting, null, null, DateTimeOffset.UtcNow));
            var body = new Dictionary<string, object?> { ["prompt"] = input.Prompt, ["duration"] = input.Duration };
            var submitted = await Client.SubmitAsync(input.Model, body, input.SubmitOptions, sink.Verbose, cancellationToken).ConfigureAwait(false);
            var request = RequestSnapshots.Submitted(submitted, input.Model, input.Prompt, input.Duration, Client.QueueUrl);
            sink.Verbose($"Submitted request {request.RequestId} ({input.Model.FullId}, {input.Duration} s, about ${request.EstimatedCost}).");
            try
            {
                // Waited for without holding a pool thread while other submissions' lines go to the disk.
                await Journal.RecordSubmissionAsync(request, input.BatchItem).ConfigureAwait(false);
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
        /// request as soon as it exists, so a failure after it can name it; <paramref name="leftQueue"/> hears that the
        /// request completed on the queue (its runner is free) while its result is still being read; <paramref name="completed"/>
        /// hears of the track as soon as it is read, before its outcome is journaled, so the caller can hand it on without
        /// waiting for the file.
        /// </summary>
        public async Task<CassetteTrack> GenerateAsync(TrackInput input, TimeSpan? timeout, IMessageSink sink, Action<CassetteRequest>? submitted,
            Action? leftQueue, Action<CassetteTrack>? completed, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is TimeSpan limit) deadline.CancelAfter(limit);
            CassetteRequest? request = null;
            try
            {
                request = await SubmitAndRecordAsync(input, sink, deadline.Token).ConfigureAwait(false);
                submitted?.Invoke(request);
                // The track handed over early is the one returned: one object, labelled with its batch item if it has one.
                CassetteTrack? finished = null;
                await FinishAsync(request, input.ActivityId, input.Activity, submittedHere: true, sink, leftQueue, track =>
                {
                    finished = input.BatchItem is BatchItemKey item ? track.InBatch(item.Batch, reused: false) : track;
                    completed?.Invoke(finished);
                }, deadline.Token).ConfigureAwait(false);
                return finished!;
            }
            catch (OperationCanceledException) when (request != null && deadline.IsCancellationRequested)
            {
                bool timedOut = !cancellationToken.IsCancellationRequested;
                string reason = timedOut ? "the client deadline (-TimeoutSec) passed" : "the command was stopped";
                // The error's target must say what the request is now (cancelled), not what it was when submitted.
                if (await CancelQuietlyAsync(request, reason, sink).ConfigureAwait(false))
                    submitted?.Invoke(RequestSnapshots.Finished(request, CassetteRequest.Cancelled, reason, "client_cancelled"));
                if (!timedOut) throw;
                throw new CassetteException(CassetteErrors.Timeout,
                    $"Request {request.RequestId} did not complete within {timeout!.Value.TotalSeconds:0} s (-TimeoutSec); its cancellation was requested " +
                    $"(Get-CassetteJob -RequestId {request.RequestId} tells whether fal confirmed it).", request.RequestId);
            }
            catch (SubmissionInterruptedException interrupted) when (request is null)
            {
                // The body may have reached fal: its request may exist and be billed, with an id nobody will ever see.
                if (cancellationToken.IsCancellationRequested)
                {
                    sink.Warning(interrupted.Describe("the command was stopped"));
                    throw;
                }
                throw new CassetteException(CassetteErrors.SubmissionOutcomeUnknown,
                    interrupted.Describe($"the client deadline (-TimeoutSec {timeout!.Value.TotalSeconds:0}) passed"), null, interrupted);
            }
            catch (OperationCanceledException) when (request is null && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Nothing of the submission left the machine (it never got a connection to send on): nothing to pay for.
                throw new CassetteException(CassetteErrors.Timeout,
                    $"The submission was not sent within {timeout!.Value.TotalSeconds:0} s (-TimeoutSec); no request was made.");
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
                    leftQueue: null, completed: null, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CassetteException(CassetteErrors.Timeout,
                    $"Request {request.RequestId} did not complete within {timeout!.Value.TotalSeconds:0} s (-TimeoutSec); it is still on the queue.", request.RequestId);
            }
        }

        /// <summary>
        /// The request as the queue reports it now, with its track once completed; a final status is recorded. A completed
        /// request's result decides its outcome (a track, the model's 422, a 499 that confirms a cancel), as fal's result
        /// repeats the model's own answer.
        /// </summary>
        public async Task<CassetteRequest> ReadStatusAsync(CassetteRequest request, bool includeLogs, IMessageSink sink, CancellationToken cancellationToken)
        {
            var model = FalModelId.Parse(request.Model);
            var status = await Client.GetStatusAsync(model, request.RequestId, request.StatusUrl, includeLogs, sink.Verbose, cancellationToken).ConfigureAwait(false);
            CassetteTrack? track = null;
            CassetteException? outcome = null;
            if (status.IsCompleted)
            {
                try
                {
                    track = await ResultReader.ReadTrackAsync(Client, request, status, sink.Verbose, cancellationToken).ConfigureAwait(false);
                }
                catch (CassetteException failure) when (ResultReader.IsFinalOutcome(failure))
                {
                    outcome = failure;
                }
            }
            var current = RequestSnapshots.WithStatus(request, status, includeLogs, track, outcome);
            if (current.IsFinished) await RecordAsync(current, current.Status, track?.AudioUrl, current.Error, current.ErrorType, submittedHere: false, sink).ConfigureAwait(false);
            return current;
        }

        /// <summary>
        /// Asks the queue to cancel a request. An accepted cancel is only a request (fal: "the model app decides how to
        /// stop the work"), so the journal says CancellationRequested, and the status is read once at once to settle it:
        /// Cancelled only when fal confirms it, Completed when the runner finished anyway.
        /// </summary>
        public async Task<CancelOutcome> CancelAsync(CassetteRequest request, string reason, IMessageSink sink, CancellationToken cancellationToken) =>
            await CancelAsync(request, reason, submittedHere: false, sink, cancellationToken).ConfigureAwait(false);

        private async Task<CancelOutcome> CancelAsync(CassetteRequest request, string reason, bool submittedHere, IMessageSink sink,
            CancellationToken cancellationToken)
        {
            var outcome = await Client.CancelAsync(FalModelId.Parse(request.Model), request.RequestId, request.CancelUrl, sink.Verbose, cancellationToken)
                .ConfigureAwait(false);
            if (outcome == CancelOutcome.Requested)
            {
                await RecordAsync(request, CassetteRequest.CancellationRequested, null, reason, null, submittedHere, sink).ConfigureAwait(false);
                await SettleCancelAsync(request, sink, cancellationToken).ConfigureAwait(false);
            }
            return outcome;
        }

        /// <summary>
        /// How long an accepted cancel is watched for fal's confirmation before the journal is left at CancellationRequested:
        /// a runner that obeys usually stops within moments, and a stop (Ctrl+C) must not wait long.
        /// </summary>
        public static readonly TimeSpan CancelConfirmWindow = TimeSpan.FromSeconds(3);

        /// <summary>
        /// Reads the status after an accepted cancel until fal confirms it or the request ends otherwise, for at most
        /// CancelConfirmWindow; an unconfirmed cancel, or trouble reading, leaves the journal at CancellationRequested for a later query.
        /// </summary>
        private async Task SettleCancelAsync(CassetteRequest request, IMessageSink sink, CancellationToken cancellationToken)
        {
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(CancelConfirmWindow);
            CassetteRequest? current = null;
            try
            {
                while (true)
                {
                    current = await ReadStatusAsync(request, includeLogs: false, sink, window.Token).ConfigureAwait(false);
                    if (current.IsFinished) break;
                    await Task.Delay(PollInterval, window.Token).ConfigureAwait(false);
                }
                sink.Verbose($"Request {request.RequestId}: after the cancel the queue reports it {current.Status}.");
            }
            catch (OperationCanceledException)
            {
                // The window, or the caller's own deadline or stop: either way the cancel itself was accepted and is
                // recorded, so it is reported as requested, never as a cancel that failed.
                sink.Verbose($"Request {request.RequestId}: cancellation requested; fal has not confirmed it yet ({current?.Status ?? "status unread"}). " +
                    $"Get-CassetteJob -RequestId {request.RequestId} settles it later.");
            }
            catch (CassetteException ex)
            {
                sink.Verbose($"Request {request.RequestId}: cancellation requested; its status could not be read to confirm it ({ex.Message}).");
            }
        }

        /// <summary>
        /// Waits for a request, reads its result and records its outcome: the part every wait shares. The track goes to
        /// <paramref name="completed"/> before the outcome is recorded: the journal's write is not on the way from
        /// COMPLETED to the pipeline (the request's id is journaled since its submission, so nothing can be lost).
        /// </summary>
        private async Task<CassetteTrack> FinishAsync(CassetteRequest request, int activityId, string activity, bool submittedHere, IMessageSink sink,
            Action? leftQueue, Action<CassetteTrack>? completed, CancellationToken cancellationToken)
        {
            var waiter = new RequestWaiter(Client, sink, activityId, activity) { UseStatusStream = UseStatusStream, PollInterval = PollInterval };
            try
            {
                var status = await waiter.WaitAsync(FalModelId.Parse(request.Model), request.RequestId, request.StatusUrl, cancellationToken).ConfigureAwait(false);
                // The result is asked for before the completion is reported (a verbose line, a progress record, new log
                // lines): the report is then made while the answer travels, not on the way from COMPLETED to the track.
                var reading = ResultReader.ReadTrackAsync(Client, request, status, sink.Verbose, cancellationToken);
                waiter.ReportCompleted(status);
                // Told after the report, so whoever counts requests on the queue sees this one fetching its result first.
                leftQueue?.Invoke();
                try
                {
                    var track = await reading.ConfigureAwait(false);
                    completed?.Invoke(track);
                    await RecordAsync(request, CassetteRequest.Completed, track.AudioUrl, null, null, submittedHere, sink).ConfigureAwait(false);
                    return track;
                }
                catch (CassetteException failure) when (ResultReader.IsFinalOutcome(failure))
                {
                    // Only the request's own outcome is recorded: trouble reaching or reading it may pass, and the request may still deliver.
                    var failed = RequestSnapshots.WithStatus(request, status, includeLogs: false, track: null, failure);
                    await RecordAsync(request, failed.Status, null, failed.Error, failed.ErrorType, submittedHere, sink).ConfigureAwait(false);
                    throw;
                }
            }
            finally
            {
                if (!submittedHere)
                    sink.Progress(new ActivityProgress(activityId, activity, ActivityPhase.Done, request.RequestId, null, DateTimeOffset.UtcNow));
            }
        }

        /// <summary>
        /// The cancel after a stop or a deadline: the caller's token is spent, so it gets a deadline of its own, and it never
        /// throws. True when the queue accepted the cancel.
        /// </summary>
        private async Task<bool> CancelQuietlyAsync(CassetteRequest request, string reason, IMessageSink sink)
        {
            using var cancel = new CancellationTokenSource(CancelDeadline);
            try
            {
                var outcome = await CancelAsync(request, reason, submittedHere: true, sink, cancel.Token).ConfigureAwait(false);
                sink.Verbose($"Request {request.RequestId}: {reason}; cancel {(outcome == CancelOutcome.Requested ? "requested" : "found it " + outcome)}.");
                return outcome == CancelOutcome.Requested;
            }
            catch (Exception ex) when (ex is CassetteException || ex is OperationCanceledException)
            {
                sink.Warning($"Request {request.RequestId} could not be cancelled ({ex.Message}); it may still run and be billed. " +
                    $"Stop-CassetteJob -RequestId {request.RequestId} retries.");
                return false;
            }
        }

        /// <summary>
        /// Records a final status. A request submitted here is always recorded; another only when the journal knows it
        /// with a different status. A journal that cannot be written costs the record and a warning, never the request.
        /// </summary>
        private async Task RecordAsync(CassetteRequest request, string status, Uri? audioUrl, string? error, string? errorType, bool submittedHere, IMessageSink sink)
        {
            if (Journal.IsNone) return;
            try
            {
                if (!submittedHere && !(Journal.Find(request.RequestId) is CassetteRequest known && known.Status != status)) return;
                await Journal.RecordStatusAsync(request.RequestId, status, audioUrl, error, errorType).ConfigureAwait(false);
            }
            catch (CassetteException ex) when (ex.Error == CassetteErrors.JournalUnavailable)
            {
                sink.Warning($"The journal could not record that request {request.RequestId} is {status}: {ex.Message}");
            }
        }
    }
}
