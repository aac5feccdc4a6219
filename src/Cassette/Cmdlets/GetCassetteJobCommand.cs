using System;
using System.Linq;
using System.Management.Automation;
using Cassette.Generation;
using Cassette.Journal;
using Cassette.Protocol;
using Cassette.Validation;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// Shows a request's status (and result, logs) from the queue, waits for it with -Wait, or, with no id, lists the
    /// requests recorded in the local journal, newest first.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CassetteJob", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(CassetteJob), ParameterSetName = new[] { ListSet, IdSet })]
    [OutputType(typeof(CassetteTrack), ParameterSetName = new[] { IdSet })]
    public sealed class GetCassetteJobCommand : CassetteQueueCmdlet
    {
        public const string ListSet = "List";
        public const string IdSet = "Id";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("request_id", "Id")]
        [ValidateNotNullOrEmpty]
        public string RequestId { get; set; } = string.Empty;

        [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string? Model { get; set; }

        [Parameter(ParameterSetName = IdSet)]
        public SwitchParameter IncludeLogs { get; set; }

        /// <summary>Wait for the request to complete and return its track.</summary>
        [Parameter(ParameterSetName = IdSet)]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: stop waiting after this many seconds (0: no limit). The request itself is not cancelled.</summary>
        [Parameter(ParameterSetName = IdSet)]
        [ValidateRange(0, int.MaxValue)]
        public int TimeoutSec { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet(CassetteJob.InQueue, CassetteJob.InProgress, CassetteJob.Completed, CassetteJob.Failed, CassetteJob.Cancelled, IgnoreCase = true)]
        public string[]? Status { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        private JobJournal? _journal;

        protected override void BeginProcessing() => _journal = ResolveJournal();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ListSet)
            {
                ListJournal();
                return;
            }

            // The queue is asked, not the journal: a journal's completed track may have expired, and the server knows.
            var job = ResolveRequest(RequestId, Model, _journal!);
            var model = FalModelId.Parse(job.Model);
            var client = CreateClient(job.QueueUrl);
            try
            {
                if (Wait)
                {
                    var timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;
                    WriteObject(RunWithMessages((sink, token) => JobCompletion.WaitForTrackAsync(client, job, _journal, sink, timeout, token)));
                    return;
                }
                var status = Await(client.GetStatusAsync(model, RequestId, job.StatusUrl, IncludeLogs, WriteVerbose, StopToken));
                CassetteTrack? track = null;
                if (status.IsCompleted && !status.HasError)
                    track = Await(ResultReader.ReadTrackAsync(client, job, status, WriteVerbose, StopToken));
                var current = JobFactory.WithStatus(job, status, IncludeLogs, track);
                if (current.IsFinished) JobCompletion.TryRecord(_journal, current, current.Status, track?.AudioUrl, current.Error, current.ErrorType);
                WriteObject(current);
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

        private void ListJournal()
        {
            System.Collections.Generic.IEnumerable<CassetteJob> jobs;
            try
            {
                jobs = _journal!.ReadAll();
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                ThrowFailure(new CassetteException("JournalUnavailable", ErrorCategory.ReadError,
                    $"The journal '{_journal!.Path}' could not be read: {ex.Message}", null, ex), _journal.Path);
                return;
            }
            WriteVerbose($"Journal: {_journal.Path}");
            if (Status is { Length: > 0 })
                jobs = jobs.Where(j => Status.Any(s => string.Equals(s, j.Status, StringComparison.OrdinalIgnoreCase)));
            if (First > 0) jobs = jobs.Take(First);
            foreach (var job in jobs) WriteObject(job);
        }
    }
}
