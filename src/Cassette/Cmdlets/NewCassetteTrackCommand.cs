using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using Cassette.Lifecycle;
using Cassette.Jobs;
using Cassette.Journal;
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
    [Cmdlet(VerbsCommon.New, "CassetteTrack", SupportsShouldProcess = true, DefaultParameterSetName = PromptSet)]
    [OutputType(typeof(CassetteTrack), typeof(CassetteRequest), typeof(CassetteGenerationJob))]
    public sealed class NewCassetteTrackCommand : CassetteQueueCmdlet
    {
        public const string PromptSet = "Prompt";
        public const string PipelineSet = "Pipeline";
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
        private BatchPlan? _batch;
        private SpendingCap? _cap;
        /// <summary>-MaxCost refusals, written once the items within the cap have finished.</summary>
        private readonly List<(CassetteException Refusal, string Prompt)> _refusals = new List<(CassetteException, string)>();

        /// <summary>One or more prompts; each is a track of its own.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PromptSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = PipelineSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidatePrompt]
        public string[] Prompt { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PromptSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PipelineSet, ValueFromPipelineByPropertyName = true)]
        [WholeSeconds(nameof(Duration), ValidateDurationAttribute.Minimum, MaxDuration)]
        [ValidateDuration]
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
        [ValidateRange(0, MaxTimeoutSec)]
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

        /// <summary>
        /// Ties runs together: an item (model, prompt, duration, place among identical items) the journal already holds for
        /// this batch is returned (completed) or waited for (in flight) instead of being submitted and paid for again.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BatchName { get; set; }

        /// <summary>The most, in US dollars, this invocation may spend by estimate; the first item that would pass it is refused unsubmitted.</summary>
        [Parameter]
        [ValidateRange(0.0, (double)MaxMaxCost)]
        public decimal? MaxCost { get; set; }

        public const int MaxMaxCost = 1000000;

        private bool RunsAsJob => AsJob || JobName != null;

        protected override void Begin()
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
            if (ModelCatalogue.Find(model) is ModelEntry known && !known.Accepts(Duration))
            {
                // Each prompt stands alone: the others (and requests already running) go on.
                WriteFailure(new CassetteException(CassetteErrors.DurationOutOfRange,
                    $"-Duration must be from {known.Range} seconds for {known.Id}; {Duration} is outside that range. Nothing was sent."), Prompt);
                return;
            }
            var queueUrl = ResolveQueueUrl();
            foreach (string prompt in Prompt) Queue(prompt, model, queueUrl);
            _drain?.WriteAvailable();
        }

        private void Queue(string prompt, FalModelId model, Uri queueUrl)
        {
            // The batch reads only the journal, so -WhatIf needs no key.
            if (BatchName != null) _batch ??= new BatchPlan(BatchName, ResolveJournal());
            if (MaxCost is decimal limit) _cap ??= new SpendingCap(limit);
            var (item, reuse) = _batch?.Next(model.FullId, prompt, Duration) ?? default;
            // A reused item was paid for by the run that submitted it.
            decimal? cost = reuse != null ? 0m : Pricing.Estimate(model, Duration);
            if (_cap?.Refusal(prompt, model.FullId, cost) is CassetteException refused)
            {
                // Reported once the items within the cap have finished: a script that stops on errors must not cancel them.
                _refusals.Add((refused, prompt));
                return;
            }

            string estimate = reuse != null ? $"reusing request {reuse.RequestId} of batch '{BatchName}' ({reuse.Status}), no cost"
                : WhatIfTotal.Estimate(cost);
            if (_cap != null) estimate += "; " + _cap.Describe(cost ?? 0m);
            string description = $"Generate {Duration} s of audio from \"{TrackInput.Shorten(prompt)}\" with {model.FullId} at {queueUrl.Host} ({estimate}).";
            // Confirmation happens here, on the pipeline thread, before anything is queued; never inside a job.
            if (!ShouldProcess(description, description + " Continue?", "New-CassetteTrack", out ShouldProcessReason reason))
            {
                // -WhatIf counts the item as it would run, so each line shows the total so far against the cap.
                if (reason == ShouldProcessReason.WhatIf) _cap?.Charge(cost ?? 0m);
                _declinedAny = true;
                _whatIfTotal.Add(Duration, cost);
                return;
            }
            _cap?.Charge(cost ?? 0m);

            // Everything the work needs is captured here, on the pipeline thread: it never reads the session.
            _submitOptions ??= new SubmitOptions(WebhookUrl, StartTimeoutSec, Priority);
            _journal ??= ResolveJournal();
            if (!_lifecycles.TryGetValue(queueUrl.AbsoluteUri, out var lifecycle))
                lifecycle = _lifecycles[queueUrl.AbsoluteUri] = CreateLifecycle(queueUrl, _journal);
            var timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;

            IJobWork work = reuse != null
                ? new ReuseJobWork(lifecycle, reuse, item, timeout, NoWait, Identity)
                : new TrackJobWork(lifecycle, new TrackInput(model, prompt, Duration, _submitOptions, _batch != null ? item : (BatchItemKey?)null),
                    timeout, NoWait, Identity);
            _job!.Add(work);
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
                foreach (var (refusal, prompt) in _refusals) WriteFailure(refusal, prompt);
                return;
            }
            if (!_queuedAny && (_declinedAny || _refusals.Count > 0))
            {
                // -WhatIf, declined prompts or the cap queued nothing, so there is no job to return.
                foreach (var (refusal, prompt) in _refusals) WriteFailure(refusal, prompt);
                return;
            }
            // A job is what a background invocation hands out, so its refusals travel in the job's own Error stream.
            // Built like a child's error record, so the id is the same with and without -AsJob.
            foreach (var (refusal, prompt) in _refusals) _job.Error.Add(JobErrorRecord.Create(refusal, prompt, Identity));
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
