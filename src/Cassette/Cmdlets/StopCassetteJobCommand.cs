using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Lifecycle;
using Cassette.Journal;
using Cassette.Protocol;
using Cassette.Validation;

namespace Cassette.Cmdlets
{
    /// <summary>Cancels a request on the queue, by id or from the pipeline, and records the cancellation in the journal.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "CassetteJob", SupportsShouldProcess = true)]
    [OutputType(typeof(CassetteRequest))]
    public sealed class StopCassetteJobCommand : CassetteQueueCmdlet
    {
        /// <summary>One or more request ids; from the pipeline, text or objects with a RequestId (or request_id) property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("request_id", "Id")]
        [RequestIdInput]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RequestIdCompleter))]
        public string[] RequestId { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string? Model { get; set; }

        /// <summary>Write the request's status after the cancel.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// Seconds each request's cancel may take in all: every retry, fal's confirmation and the status -PassThru reads
        /// (0: bounded only by -MaxRetryCount and -ReadTimeoutSec). A cancel still unanswered then is CancelTimedOut.
        /// </summary>
        [Parameter]
        [ValidateRange(0, MaxTimeoutSec)]
        public int TimeoutSec { get; set; } = DefaultTimeoutSec;

        /// <summary>A minute: room for a few retries of a flaky queue, and a wait someone at the prompt can live with.</summary>
        private const int DefaultTimeoutSec = 60;

        private RequestJournal? _journal;

        /// <summary>Runs one step of a cancel under both the invocation's stop token and the request's budget.</summary>
        private static async Task<T> WithinBudget<T>(CancellationToken stop, CancellationToken budget, Func<CancellationToken, Task<T>> step)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, budget);
            return await step(both.Token).ConfigureAwait(false);
        }

        protected override void Begin() => _journal = ResolveJournal();

        protected override void ProcessRecord()
        {
            foreach (string requestId in RequestId) Cancel(requestId);
        }

        private void Cancel(string requestId)
        {
            var request = ResolveRequest(requestId, Model, _journal!);
            var model = FalModelId.Parse(request.Model);
            var queueUrl = request.QueueUrl;
            if (!ShouldProcess($"request {requestId} ({model.FullId} at {queueUrl.Host})", "Cancel")) return;

            var lifecycle = CreateLifecycle(queueUrl, _journal!);
            // One budget for everything this request's cancel does; Ctrl+C (the stop token) ends it sooner.
            using var budget = TimeoutSec > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(TimeoutSec)) : new CancellationTokenSource();
            CancelOutcome? outcome = null;
            try
            {
                outcome = Run((sink, token) => WithinBudget(token, budget.Token, both => lifecycle.CancelAsync(request, "cancelled with Stop-CassetteJob", sink, both)));
                CassetteRequest? current = null;
                switch (outcome)
                {
                    case CancelOutcome.Requested:
                        WriteVerbose($"Request {requestId}: cancellation requested.");
                        break;
                    case CancelOutcome.AlreadyCompleted:
                        // fal answers ALREADY_COMPLETED for a request that was cancelled or failed as well: say which it was.
                        current = Run((sink, token) => WithinBudget(token, budget.Token, both => lifecycle.ReadStatusAsync(request, false, sink, both)));
                        string finished = current.Status switch
                        {
                            CassetteRequest.Cancelled => "was already cancelled",
                            CassetteRequest.Failed => "had already failed",
                            _ => "had already completed",
                        };
                        WriteWarning($"Request {requestId} {finished}; there was nothing to cancel.");
                        break;
                    default:
                        WriteFailure(new CassetteException(CassetteErrors.RequestNotFound,
                            $"The queue at {queueUrl.Host} does not know request {requestId} of {model.AppPath}.", requestId), request);
                        return;
                }
                if (PassThru) WriteObject(current ?? Run((sink, token) => WithinBudget(token, budget.Token, both => lifecycle.ReadStatusAsync(request, false, sink, both))));
            }
            catch (OperationCanceledException ex) when (budget.IsCancellationRequested && !StopToken.IsCancellationRequested)
            {
                WriteFailure(outcome is null
                    ? new CassetteException(CassetteErrors.CancelTimedOut,
                        $"The queue at {queueUrl.Host} did not answer the cancel of request {requestId} within {TimeoutSec} s (-TimeoutSec), so the cancel " +
                        "may not have reached fal: the request may still run and be billed. The journal does not record it as cancelled.", requestId, ex,
                        $"Stop-CassetteJob -RequestId {requestId} tries again; Get-CassetteJob -RequestId {requestId} shows whether it still runs.")
                    : new CassetteException(CassetteErrors.Timeout,
                        $"Request {requestId}: the queue answered the cancel ({outcome}), but its status could not be read within {TimeoutSec} s (-TimeoutSec).",
                        requestId, ex), request);
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception ex)
            {
                WriteFailure(ex, request);
            }
        }
    }
}
