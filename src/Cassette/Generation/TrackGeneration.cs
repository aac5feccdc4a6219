using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Protocol;

namespace Cassette.Generation
{
    /// <summary>
    /// One generation from prompt to track, as a reusable async unit: submit, record in the journal, wait (stream, else
    /// poll), fetch the result. On Ctrl+C or the client deadline it cancels the remote request before it returns.
    /// It reads nothing from the session and writes only to its sink, so it can run on any thread (and, later, in a job).
    /// </summary>
    internal sealed class TrackGeneration
    {
        private readonly GenerationSettings _settings;

        public TrackGeneration(GenerationSettings settings, string prompt, int duration)
        {
            _settings = settings;
            Prompt = prompt;
            Duration = duration;
            ActivityId = GenerationProgress.NewActivityId();
        }

        public string Prompt { get; }
        public int Duration { get; }
        public int ActivityId { get; }
        /// <summary>The request once submitted (and journaled); null before.</summary>
        public CassetteJob? Job { get; private set; }
        public string Activity => $"Generating {Duration} s: {Shorten(Prompt)}";

        /// <summary>Submits and records the request; returns it queued.</summary>
        public async Task<CassetteJob> SubmitAsync(IGenerationSink sink, CancellationToken cancellationToken)
        {
            var client = _settings.Client;
            sink.Progress(new GenerationProgress(ActivityId, Activity, GenerationPhase.Submitting, null, null, DateTimeOffset.UtcNow));
            var input = new Dictionary<string, object?> { ["prompt"] = Prompt, ["duration"] = Duration };
            var submitted = await client.SubmitAsync(_settings.Model, input, _settings.SubmitOptions, sink.Verbose, cancellationToken).ConfigureAwait(false);
            var job = JobFactory.Submitted(submitted, _settings.Model, Prompt, Duration, client.QueueUrl);
            Job = job;
            sink.Verbose($"Submitted request {job.RequestId} ({_settings.Model.FullId}, {Duration} s, about ${job.EstimatedCost}).");
            try
            {
                _settings.Journal.RecordSubmission(job);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                // The money is spent: losing the journal line must not lose the request, so say its id loudly and go on.
                sink.Warning($"Request {job.RequestId} could not be recorded in the journal '{_settings.Journal.Path}': {ex.Message}");
            }
            return job;
        }

        /// <summary>Submits, waits and returns the finished track.</summary>
        public async Task<CassetteTrack> RunAsync(IGenerationSink sink, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (_settings.Timeout is TimeSpan timeout) deadline.CancelAfter(timeout);
            try
            {
                var job = Job ?? await SubmitAsync(sink, deadline.Token).ConfigureAwait(false);
                var waiter = new RequestWaiter(_settings, sink, ActivityId, Activity);
                var completed = await waiter.WaitAsync(_settings.Model, job.RequestId, job.StatusUrl, deadline.Token).ConfigureAwait(false);
                try
                {
                    var track = await ResultReader.ReadTrackAsync(_settings.Client, job, completed, sink.Verbose, deadline.Token).ConfigureAwait(false);
                    Record(sink, job.RequestId, CassetteJob.Completed, track.AudioUrl, null, null);
                    return track;
                }
                catch (CassetteException failure)
                {
                    Record(sink, job.RequestId, failure.ErrorId == "RequestCancelled" ? CassetteJob.Cancelled : CassetteJob.Failed, null,
                        completed.Error ?? failure.Message, completed.ErrorType);
                    throw;
                }
            }
            catch (OperationCanceledException) when (Job != null && deadline.IsCancellationRequested)
            {
                bool timedOut = !cancellationToken.IsCancellationRequested;
                await CancelRemoteAsync(sink, Job, timedOut ? "the client deadline (-TimeoutSec) passed" : "the command was stopped").ConfigureAwait(false);
                if (!timedOut) throw;
                throw new CassetteException("Timeout", ErrorCategory.OperationTimeout,
                    $"Request {Job.RequestId} did not complete within {_settings.Timeout!.Value.TotalSeconds:0} s (-TimeoutSec); it was cancelled.", Job.RequestId);
            }
            catch (OperationCanceledException) when (Job is null && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CassetteException("Timeout", ErrorCategory.OperationTimeout,
                    $"The submission did not complete within {_settings.Timeout!.Value.TotalSeconds:0} s (-TimeoutSec).");
            }
        }

        private async Task CancelRemoteAsync(IGenerationSink sink, CassetteJob job, string reason)
        {
            // The caller's token is already cancelled: the remote cancel gets a short deadline of its own.
            using var cancel = new CancellationTokenSource(GenerationSettings.CancelDeadline);
            try
            {
                var outcome = await _settings.Client.CancelAsync(_settings.Model, job.RequestId, job.CancelUrl, sink.Verbose, cancel.Token).ConfigureAwait(false);
                sink.Verbose($"Request {job.RequestId}: {reason}; cancel {(outcome == CancelOutcome.Requested ? "requested" : "found it " + outcome)}.");
                if (outcome == CancelOutcome.Requested) Record(sink, job.RequestId, CassetteJob.Cancelled, null, reason, "client_cancelled");
            }
            catch (Exception ex) when (ex is FalApiException || ex is System.Net.Http.HttpRequestException || ex is OperationCanceledException)
            {
                sink.Warning($"Request {job.RequestId} could not be cancelled ({ex.Message}); it may still run and be billed. Stop-CassetteJob -RequestId {job.RequestId} retries.");
            }
        }

        private void Record(IGenerationSink sink, string requestId, string status, Uri? audioUrl, string? error, string? errorType)
        {
            try
            {
                _settings.Journal.RecordStatus(requestId, status, audioUrl, error, errorType);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                sink.Warning($"The journal '{_settings.Journal.Path}' could not record that request {requestId} is {status}: {ex.Message}");
            }
        }

        internal static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
