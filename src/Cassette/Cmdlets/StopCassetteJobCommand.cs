using System;
using System.Management.Automation;
using Cassette.Generation;
using Cassette.Journal;
using Cassette.Protocol;
using Cassette.Validation;

namespace Cassette.Cmdlets
{
    /// <summary>Cancels a request on the queue, by id or from the pipeline, and records the cancellation in the journal.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "CassetteJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CassetteJob))]
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

        private JobJournal? _journal;

        protected override void BeginProcessing() => _journal = ResolveJournal();

        protected override void ProcessRecord()
        {
            var job = ResolveRequest(RequestId, Model, _journal!);
            var model = FalModelId.Parse(job.Model);
            var queueUrl = job.QueueUrl;
            if (!ShouldProcess($"request {RequestId} ({model.FullId} at {queueUrl.Host})", "Cancel")) return;

            var client = CreateClient(queueUrl);
            try
            {
                var outcome = Await(client.CancelAsync(model, RequestId, job.CancelUrl, WriteVerbose, StopToken));
                switch (outcome)
                {
                    case CancelOutcome.Requested:
                        WriteVerbose($"Request {RequestId}: cancellation requested.");
                        JobCompletion.TryRecord(_journal, job, CassetteJob.Cancelled, null, "cancelled with Stop-CassetteJob", "client_cancelled");
                        break;
                    case CancelOutcome.AlreadyCompleted:
                        WriteWarning($"Request {RequestId} had already completed; there was nothing to cancel.");
                        break;
                    default:
                        WriteFailure(new CassetteException("RequestNotFound", ErrorCategory.ObjectNotFound,
                            $"The queue at {queueUrl.Host} does not know request {RequestId} of {model.AppPath}.", RequestId), job);
                        return;
                }
                if (PassThru)
                {
                    var status = Await(client.GetStatusAsync(model, RequestId, job.StatusUrl, false, WriteVerbose, StopToken));
                    WriteObject(JobFactory.WithStatus(job, status, false, null));
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception ex)
            {
                WriteFailure(ex, job);
            }
        }
    }
}
