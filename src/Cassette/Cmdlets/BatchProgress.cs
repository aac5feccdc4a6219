using System.Collections.Generic;
using System.Management.Automation;
using Cassette.Jobs;
using Cassette.Lifecycle;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// The overall bar of a batch run in the foreground: how many prompts are done, running and waiting for a slot
    /// under -ThrottleLimit, so the prompts beyond the limit are visible too. Each track's bar is its child.
    /// </summary>
    internal sealed class BatchProgress
    {
        public int ActivityId { get; } = ActivityProgress.NewActivityId();

        /// <summary>A batch is two prompts or more; one prompt has its own bar only.</summary>
        public static bool IsBatch(IReadOnlyCollection<CassetteGenerationChildJob> children) => children.Count > 1;

        public ProgressRecord Describe(IReadOnlyCollection<CassetteGenerationChildJob> children)
        {
            int done = 0, running = 0, waiting = 0, failed = 0;
            foreach (var child in children)
            {
                switch (child.JobStateInfo.State)
                {
                    case JobState.NotStarted: waiting++; break;
                    case JobState.Running: running++; break;
                    case JobState.Failed: failed++; done++; break;
                    default: done++; break;
                }
            }
            int total = children.Count;
            string status = $"{done} of {total} done, {running} running, {waiting} waiting{(failed > 0 ? $", {failed} failed" : "")}";
            return new ProgressRecord(ActivityId, $"Generating {total} tracks", status) { PercentComplete = done * 100 / total };
        }

        public ProgressRecord Completed(int total) =>
            new ProgressRecord(ActivityId, $"Generating {total} tracks", "Done") { RecordType = ProgressRecordType.Completed };
    }
}
