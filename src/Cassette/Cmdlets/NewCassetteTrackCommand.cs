using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text.Json;
using Cassette.Protocol;
using Cassette.Validation;

namespace Cassette.Cmdlets
{
    /// <summary>Generates a track: submits the prompt to the fal queue, waits for it, and writes the finished track.</summary>
    [Cmdlet(VerbsCommon.New, "CassetteTrack", SupportsShouldProcess = true)]
    [OutputType(typeof(CassetteTrack))]
    public sealed class NewCassetteTrackCommand : CassetteCmdlet
    {
        public const int MinDuration = 10;
        public const int MaxDuration = 180;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Prompt { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateDuration(MinDuration, MaxDuration)]
        public int Duration { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Model { get; set; } = FalModelId.MusicGenerator;

        [Parameter]
        public object? ApiKey { get; set; }

        [Parameter]
        public Uri? QueueUrl { get; set; }

        protected override void ProcessRecord()
        {
            var model = FalModelId.Parse(Model);
            var queueUrl = QueueAddress.Resolve(QueueUrl);
            if (!ShouldProcess($"{Duration} s of music for \"{Prompt}\" (about ${Pricing.Estimate(Duration)})", "Generate")) return;

            var client = new FalQueueClient(Http, queueUrl, FalApiKey.Resolve(ApiKey));
            var input = new Dictionary<string, object?> { ["prompt"] = Prompt, ["duration"] = Duration };
            var submitted = Await(client.SubmitAsync(model, input, StopToken));
            WriteVerbose($"Submitted request {submitted.RequestId}.");

            var progress = new ProgressRecord(1, "New-CassetteTrack", "Waiting in the queue");
            var completed = Await(client.WaitForCompletionAsync(model, submitted, TimeSpan.FromMilliseconds(250), null, StopToken));
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);

            using JsonDocument result = Await(client.GetResultAsync(model, completed.RequestId, completed.ResponseUrl ?? submitted.ResponseUrl, StopToken));
            WriteObject(TrackResult.Parse(result.RootElement, completed, model, Prompt, Duration, queueUrl));
        }
    }
}
