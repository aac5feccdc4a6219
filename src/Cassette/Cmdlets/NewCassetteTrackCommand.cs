using System;
using System.Collections.Generic;
using System.Management.Automation;
using Cassette.Lifecycle;
using Cassette.Jobs;
using Cassette.Protocol;
using Cassette.Validation;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// Generates tracks: submits each prompt to the fal queue, records it in the journal, waits, and writes the finished
    /// tracks. Two parameter sets differ only in positions: typed alone, the prompt comes first and the duration second;
    /// after piped prompts, a lone number is the duration (PowerShell binds a number to the set whose position 0 is an
    /// int before it would convert it to text), so `Import-Csv tracks.csv | New-CassetteTrack 30` never sends "30".
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CassetteTrack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PromptSet)]
    [OutputType(typeof(CassetteTrack), typeof(CassetteRequest), typeof(CassetteGenerationJob))]
    public sealed class NewCassetteTrackCommand : CassetteQueueCmdlet
    {
        public const string PromptSet = "Prompt";
        public const string PipelineSet = "Pipeline";
        public const int MinDuration = 10;
        public const int MaxDuration = 180;
        public const int DefaultThrottleLimit = 8;
        /// <summary>Each running request holds a connection and, while it waits, a thread for its status stream.</summary>
        public const int MaxThrottleLimit = 256;

        private static readonly JobIdentity Identity = new JobIdentity("New-CassetteTrack", typeof(NewCassetteTrackCommand).FullName!);

        private readonly Dictionary<string, RequestLifecycle> _lifecycles = new Dictionary<string, RequestLifecycle>(StringComparer.OrdinalIgnoreCase);
        private readonly WhatIfTotal _whatIfTotal = new WhatIfTotal();
        private Journal.RequestJournal? _journal;
        private SubmitOptions? _submitOptions;
        private CassetteGenerationJob? _job;
        private ForegroundJobDrain? _drain;
        private bool _queuedAny;
        private bool _declinedAny;
        private bool _handedOver;

        /// <summary>One or more prompts; each is a track of its own.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PromptSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = PipelineSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidatePrompt]
        public string[] Prompt { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PromptSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PipelineSet, ValueFromPipelineByPropertyName = true)]
        [WholeSeconds(nameof(Duration), MinDuration, MaxDuration)]
        [ValidateDuration(MinDuration, MaxDuration)]
        public int Duration { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string Model { get; set; } = FalModelId.MusicGenerator;

        /// <summary>Return the queued request at once instead of waiting for the track.</summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary>Client deadline in seconds for the whole request (0: none); on expiry the remote request is cancelled.</summary>
        [Parameter]
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
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        /// <summary>The job's name; like Invoke-Command, giving one runs the command as a job.</summary>
        [Parameter]
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
            if (NoWait && (RunsAsJob || MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec))))
            {
                // A parameter set each would make every piped call ambiguous, so the conflict is caught here instead.
                ThrowFailure(new CassetteException(CassetteErrors.NoWaitConflict,
                    "-NoWait returns each request as soon as it is queued, so it cannot be combined with -AsJob, -JobName or -TimeoutSec, which wait for the track. " +
                    "Collect the requests later with Get-CassetteJob -Wait, which takes -TimeoutSec."), null);
            }
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
            // The model may change from one piped object to the next (a CSV's Model column).
            var model = ParseModel(Model, Model);
            var queueUrl = ResolveQueueUrl();
            foreach (string prompt in Prompt) Queue(prompt, model, queueUrl);
            _drain?.WriteAvailable();
        }

        private void Queue(string prompt, FalModelId model, Uri queueUrl)
        {
            decimal? cost = Pricing.Estimate(model, Duration);
            string description = $"Generate {Duration} s of audio from \"{TrackInput.Shorten(prompt)}\" with {model.FullId} at {queueUrl.Host} ({WhatIfTotal.Estimate(cost)}).";
            // Confirmation happens here, on the pipeline thread, before anything is queued; never inside a job.
            if (!ShouldProcess(description, description + " Continue?", "New-CassetteTrack"))
            {
                _declinedAny = true;
                _whatIfTotal.Add(Duration, cost);
                return;
            }

            // Everything the work needs is captured here, on the pipeline thread: it never reads the session.
            _submitOptions ??= new SubmitOptions(WebhookUrl, StartTimeoutSec, Priority);
            _journal ??= ResolveJournal();
            if (!_lifecycles.TryGetValue(queueUrl.AbsoluteUri, out var lifecycle))
                lifecycle = _lifecycles[queueUrl.AbsoluteUri] = CreateLifecycle(queueUrl, _journal);
            var timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;

            _job!.Add(new TrackJobWork(lifecycle, new TrackInput(model, prompt, Duration, _submitOptions), timeout, NoWait, Identity));
            _queuedAny = true;
        }

        protected override void EndProcessing()
        {
            if (_whatIfTotal.Count > 1 && IsWhatIf())
            {
                // Each prompt had its own What-if line; the batch's total is the line a budget needs.
                ShouldProcess(_whatIfTotal.Describe(), null, null);
            }
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
