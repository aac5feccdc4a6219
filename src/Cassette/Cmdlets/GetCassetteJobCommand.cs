using System;
using System.Linq;
using System.Management.Automation;
using Cassette.Lifecycle;
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
    [OutputType(typeof(CassetteRequest), ParameterSetName = new[] { ListSet, IdSet })]
    [OutputType(typeof(CassetteTrack), ParameterSetName = new[] { IdSet })]
    public sealed class GetCassetteJobCommand : CassetteQueueCmdlet
    {
        public const string ListSet = "List";
        public const string IdSet = "Id";

        /// <summary>One or more request ids; from the pipeline, text or objects with a RequestId (or request_id) property.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("request_id", "Id")]
        [RequestIdInput]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RequestIdCompleter))]
        public string[] RequestId { get; set; } = Array.Empty<string>();

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
        [ValidateRange(0, MaxTimeoutSec)]
        public int TimeoutSec { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet(CassetteRequest.InQueue, CassetteRequest.InProgress, CassetteRequest.CancellationRequested, CassetteRequest.Completed, CassetteRequest.Failed,
            CassetteRequest.Cancelled, IgnoreCase = true)]
        public string[]? Status { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; }

        private RequestJournal? _journal;

        protected override void Begin() => _journal = ResolveJournal();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ListSet)
            {
                ListJournal();
                return;
            }

            foreach (string requestId in RequestId) Show(requestId);
        }

        private void Show(string requestId)
        {
            // The queue is asked, not the journal: a journal's completed track may have expired, and the server knows.
            var request = ResolveRequest(requestId, Model, _journal!);
            var lifecycle = CreateLifecycle(request.QueueUrl, _journal!);
            try
            {
                if (Wait)
                {
                    var timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;
                    WriteObject(Run((sink, token) => lifecycle.WaitForTrackAsync(request, timeout, sink, token)));
                    return;
                }
                bool includeLogs = IncludeLogs;
                WriteObject(Run((sink, token) => lifecycle.ReadStatusAsync(request, includeLogs, sink, token)));
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

        /// <summary>
        /// Streams the journal newest first: the file is read backwards as objects are written, so -First (or
        /// Select-Object -First downstream) stops the reading and a year of journal costs only the lines shown.
        /// </summary>
        private void ListJournal()
        {
            WriteVerbose($"Journal: {_journal!.Path}");
            var requests = _journal.ReadNewestFirst(WarnOnce);
            if (Status is { Length: > 0 })
                requests = requests.Where(j => Status.Any(s => string.Equals(s, j.Status, StringComparison.OrdinalIgnoreCase)));
            if (First > 0) requests = requests.Take(First);
            try
            {
                foreach (var request in requests) WriteObject(request);
            }
            catch (CassetteException ex)
            {
                ThrowFailure(ex, _journal.Path);
            }
        }
    }
}
