using System;
using System.Management.Automation;
using Cassette.Lifecycle;
using Cassette.Journal;
using Cassette.Protocol;
using Cassette.Validation;

namespace Cassette.Cmdlets
{
    /// <summary>Cancels a request on the queue, by id or from the pipeline, and records the cancellation in the journal.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "CassetteJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
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

        private RequestJournal? _journal;

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
            try
            {
                var outcome = Run((sink, token) => lifecycle.CancelAsync(request, "cancelled with Stop-CassetteJob", sink, token));
                CassetteRequest? current = null;
                switch (outcome)
                {
                    case CancelOutcome.Requested:
                        WriteVerbose($"Request {requestId}: cancellation requested.");
                        break;
                    case CancelOutcome.AlreadyCompleted:
                        // fal answers ALREADY_COMPLETED for a request that was cancelled or failed as well: say which it was.
                        current = Run((sink, token) => lifecycle.ReadStatusAsync(request, false, sink, token));
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
                if (PassThru) WriteObject(current ?? Run((sink, token) => lifecycle.ReadStatusAsync(request, false, sink, token)));
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
