using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Cassette.Journal;
using Cassette.Lifecycle;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// Prunes the journal: removes the entries of requests with the given statuses (by default the finished ones:
    /// Completed, Failed, Cancelled) submitted before -Before, each confirmed through ShouldProcess. Requests still
    /// waiting are removed only when -Status names them, since the journal is how a paid request is found again.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "CassetteJournal", SupportsShouldProcess = true)]
    [OutputType(typeof(CassetteRequest))]
    public sealed class ClearCassetteJournalCommand : CassetteCmdlet
    {
        /// <summary>Only entries submitted before this time; all of them when it is not given.</summary>
        [Parameter(Position = 0)]
        public DateTime? Before { get; set; }

        [Parameter]
        [ValidateSet(CassetteRequest.InQueue, CassetteRequest.InProgress, CassetteRequest.Completed, CassetteRequest.Failed, CassetteRequest.Cancelled, IgnoreCase = true)]
        public string[] Status { get; set; } = { CassetteRequest.Completed, CassetteRequest.Failed, CassetteRequest.Cancelled };

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>Write the entries that were removed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            string? path = JournalPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
            RequestJournal journal;
            try
            {
                journal = RequestJournal.Resolve(path);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is System.IO.PathTooLongException || ex is System.Security.SecurityException)
            {
                ThrowFailure(new CassetteException(CassetteErrors.JournalUnavailable, $"The journal path '{path}' cannot be used: {ex.Message}", null, ex), JournalPath);
                return;
            }
            DateTimeOffset? before = Before is DateTime time
                ? new DateTimeOffset(time.Kind == DateTimeKind.Utc ? time : DateTime.SpecifyKind(time, DateTimeKind.Local))
                : (DateTimeOffset?)null;
            try
            {
                var chosen = new List<CassetteRequest>();
                foreach (var entry in journal.ReadAll())
                {
                    if (!Status.Any(s => string.Equals(s, entry.Status, StringComparison.OrdinalIgnoreCase))) continue;
                    if (before is DateTimeOffset limit && !(entry.SubmittedAt < limit)) continue;
                    // Asked before the journal is locked, so a -Confirm prompt never keeps other writers waiting.
                    if (ShouldProcess(Describe(entry), "Remove from the journal " + journal.Path)) chosen.Add(entry);
                }
                if (chosen.Count == 0) return;
                int removed = journal.Remove(new HashSet<string>(chosen.Select(e => e.RequestId), StringComparer.Ordinal));
                WriteVerbose($"Removed {removed} request(s) from the journal {journal.Path}.");
                if (PassThru) foreach (var entry in chosen) WriteObject(entry);
            }
            catch (CassetteException ex)
            {
                // JournalUnavailable: the journal could not be read or rewritten; it is left as it was.
                ThrowFailure(ex, journal.Path);
            }
        }

        private static string Describe(CassetteRequest entry) => string.Format(CultureInfo.InvariantCulture,
            "request {0} ({1}, submitted {2:yyyy-MM-dd HH:mm}): {3}", entry.RequestId, entry.Status, entry.SubmittedAt?.ToLocalTime(),
            TrackInput.Shorten(entry.Prompt ?? "no prompt recorded"));
    }
}
