using System;
using System.Globalization;
using System.Management.Automation;
using Cassette.Generation;
using Cassette.Protocol;
using Cassette.Validation;

namespace Cassette.Cmdlets
{
    /// <summary>Generates a track: submits the prompt to the fal queue, records it in the journal, waits, and writes the finished track.</summary>
    [Cmdlet(VerbsCommon.New, "CassetteTrack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = WaitSet)]
    [OutputType(typeof(CassetteTrack), ParameterSetName = new[] { WaitSet })]
    [OutputType(typeof(CassetteJob), ParameterSetName = new[] { NoWaitSet })]
    public sealed class NewCassetteTrackCommand : CassetteQueueCmdlet
    {
        public const string WaitSet = "Wait";
        public const string NoWaitSet = "NoWait";
        public const int MinDuration = 10;
        public const int MaxDuration = 180;

        private GenerationSettings? _settings;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidatePrompt]
        public string Prompt { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [WholeSeconds(nameof(Duration), MinDuration, MaxDuration)]
        [ValidateDuration(MinDuration, MaxDuration)]
        public int Duration { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string Model { get; set; } = FalModelId.MusicGenerator;

        /// <summary>Return the queued request at once instead of waiting for the track.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NoWaitSet)]
        public SwitchParameter NoWait { get; set; }

        /// <summary>Client deadline in seconds for the whole request (0: none); on expiry the remote request is cancelled.</summary>
        [Parameter(ParameterSetName = WaitSet)]
        [ValidateRange(0, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>How long the request may wait to start (X-Fal-Request-Timeout).</summary>
        [Parameter]
        [ValidateRange(2, 86400)]
        public int? StartTimeoutSec { get; set; }

        [Parameter]
        public QueuePriority Priority { get; set; } = QueuePriority.Normal;

        [Parameter]
        [ValidateHttpUrl]
        public Uri? WebhookUrl { get; set; }

        protected override void BeginProcessing()
        {
            ParseModel(Model, Model);
        }

        protected override void ProcessRecord()
        {
            var model = ParseModel(Model, Model);
            var queueUrl = ResolveQueueUrl();
            decimal? cost = Pricing.Estimate(model, Duration);
            string estimate = cost is decimal c
                ? string.Format(CultureInfo.InvariantCulture, "estimated cost ${0:0.####}", c)
                : "cost unknown for this model";
            string description = $"Generate {Duration} s of audio from \"{TrackGeneration.Shorten(Prompt)}\" with {model.FullId} at {queueUrl.Host} ({estimate}).";
            if (!ShouldProcess(description, description + " Continue?", "New-CassetteTrack")) return;

            _settings ??= new GenerationSettings(CreateClient(queueUrl), model,
                new SubmitOptions(WebhookUrl, StartTimeoutSec, Priority), ResolveJournal(),
                TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null);
            var settings = QueueUrl is null || _settings.Client.QueueUrl == queueUrl ? _settings
                : new GenerationSettings(CreateClient(queueUrl), model, _settings.SubmitOptions, _settings.Journal, _settings.Timeout);

            var generation = new TrackGeneration(settings, Prompt, Duration);
            try
            {
                if (NoWait)
                    WriteObject(RunWithMessages((sink, token) => generation.SubmitAsync(sink, token)));
                else
                    WriteObject(RunWithMessages((sink, token) => generation.RunAsync(sink, token)));
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception ex)
            {
                WriteFailure(ex, (object?)generation.Job ?? Prompt);
            }
        }
    }
}
