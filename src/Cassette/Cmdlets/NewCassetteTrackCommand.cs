using System;
using System.Globalization;
using System.Management.Automation;
using Cassette.Lifecycle;
using Cassette.Jobs;
using Cassette.Protocol;
using Cassette.Validation;

namespace Cassette.Cmdlets
{
    /// <summary>Generates a track: submits the prompt to the fal queue, records it in the journal, waits, and writes the finished track.</summary>
    [Cmdlet(VerbsCommon.New, "CassetteTrack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = WaitSet)]
    [OutputType(typeof(CassetteTrack), ParameterSetName = new[] { WaitSet })]
    [OutputType(typeof(CassetteRequest), ParameterSetName = new[] { NoWaitSet })]
    [OutputType(typeof(CassetteGenerationJob), ParameterSetName = new[] { WaitSet })]
    public sealed class NewCassetteTrackCommand : CassetteQueueCmdlet
    {
        public const string WaitSet = "Wait";
        public const string NoWaitSet = "NoWait";
        public const int MinDuration = 10;
        public const int MaxDuration = 180;
        public const int DefaultThrottleLimit = 8;
        /// <summary>Each running request holds a connection and, while it waits, a thread for its status stream.</summary>
        public const int MaxThrottleLimit = 256;

        private static readonly JobIdentity Identity = new JobIdentity("New-CassetteTrack", typeof(NewCassetteTrackCommand).FullName!);

        private RequestLifecycle? _lifecycle;
        private SubmitOptions? _submitOptions;
        private CassetteGenerationJob? _job;
        private ForegroundJobDrain? _drain;
        private bool _queuedAny;
        private bool _declinedAny;
        private bool _handedOver;

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

        /// <summary>Return one background job at once (a child per prompt) instead of waiting.</summary>
        [Parameter(ParameterSetName = WaitSet)]
        public SwitchParameter AsJob { get; set; }

        /// <summary>The job's name; like Invoke-Command, giving one runs the command as a job.</summary>
        [Parameter(ParameterSetName = WaitSet)]
        [ValidateNotNullOrEmpty]
        public string? JobName { get; set; }

        /// <summary>How many prompts are generated at once, with or without -AsJob.</summary>
        [Parameter]
        [ValidateRange(1, MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        private bool RunsAsJob => AsJob || JobName != null;

        protected override void BeginProcessing()
        {
            ParseModel(Model, Model);
            if (RunsAsJob && MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && confirm is SwitchParameter { IsPresent: true })
            {
                ThrowFailure(new CassetteException(CassetteErrors.AsJobWithConfirm,
                    "-AsJob cannot be combined with -Confirm: a background job has no one to ask. Run without -AsJob to confirm each prompt, " +
                    "or use -WhatIf first to see what would be generated."), null);
            }
            _job = new CassetteGenerationJob(MyInvocation.MyCommand.Name, JobName, ThrottleLimit);
            if (!RunsAsJob) _drain = new ForegroundJobDrain(_job, this);
        }

        protected override void ProcessRecord()
        {
            var model = ParseModel(Model, Model);
            var queueUrl = ResolveQueueUrl();
            decimal? cost = Pricing.Estimate(model, Duration);
            string estimate = cost is decimal c
                ? string.Format(CultureInfo.InvariantCulture, "estimated cost ${0:0.####}", c)
                : "cost unknown for this model";
            string description = $"Generate {Duration} s of audio from \"{TrackInput.Shorten(Prompt)}\" with {model.FullId} at {queueUrl.Host} ({estimate}).";
            // Confirmation happens here, on the pipeline thread, before anything is queued; never inside a job.
            if (!ShouldProcess(description, description + " Continue?", "New-CassetteTrack"))
            {
                _declinedAny = true;
                return;
            }

            // Everything the work needs is captured here, on the pipeline thread: it never reads the session.
            _submitOptions ??= new SubmitOptions(WebhookUrl, StartTimeoutSec, Priority);
            _lifecycle ??= CreateLifecycle(queueUrl, ResolveJournal());
            var lifecycle = QueueUrl is null || _lifecycle.Client.QueueUrl == queueUrl ? _lifecycle : CreateLifecycle(queueUrl, _lifecycle.Journal);
            var timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;

            _job!.Add(new TrackJobWork(lifecycle, new TrackInput(model, Prompt, Duration, _submitOptions), timeout, NoWait, Identity));
            _queuedAny = true;
            _drain?.WriteAvailable();
        }

        protected override void EndProcessing()
        {
            _job!.CloseInput();
            if (_drain != null)
            {
                _drain.WriteUntilDone();
                return;
            }
            // -WhatIf (or a declined prompt) queued nothing, so there is no job to return.
            if (_declinedAny && !_queuedAny) return;
            JobRepository.Add(_job);
            _handedOver = true;
            WriteObject(_job);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _job != null && !_handedOver)
            {
                // Ctrl+C, a terminating error, or a downstream command that stopped early (Select-Object -First): the
                // requests this invocation started are cancelled rather than left running where nobody can see them.
                if (!JobStates.IsFinished(_job.JobStateInfo.State)) _job.StopJob();
                _drain?.Dispose();
                _job.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
