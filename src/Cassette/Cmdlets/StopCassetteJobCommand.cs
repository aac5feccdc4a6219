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
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("request_id", "Id")]
        [ValidateNotNullOrEmpty]
        public string RequestId { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string? Model { get; set; }

        /// <summary>Write the request's status after the cancel.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private RequestJournal? _journal;

        protected override void BeginProcessing() => _journal = ResolveJournal();

        protected override void ProcessRecord()
        {
            var request = ResolveRequest(RequestId, Model, _journal!);
            var model = FalModelId.Parse(request.Model);
            var queueUrl = request.QueueUrl;
            if (!ShouldProcess($"request {RequestId} ({model.FullId} at {queueUrl.Host})", "Cancel")) return;

            var lifecycle = CreateLifecycle(queueUrl, _journal!);
            try
            {
                var outcome = Run((sink, token) => lifecycle.CancelAsync(request, "cancelled with Stop-CassetteJob", sink, token));
                switch (outcome)
                {
                    case CancelOutcome.Requested:
                        WriteVerbose($"Request {RequestId}: cancellation requested.");
                        break;
                    case CancelOutcome.AlreadyCompleted:
                        WriteWarning($"Request {RequestId} had already completed; there was nothing to cancel.");
                        break;
                    default:
                        WriteFailure(new CassetteException(CassetteErrors.RequestNotFound,
                            $"The queue at {queueUrl.Host} does not know request {RequestId} of {model.AppPath}.", RequestId), request);
                        return;
                }
                if (PassThru) WriteObject(Run((sink, token) => lifecycle.ReadStatusAsync(request, false, sink, token)));
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
