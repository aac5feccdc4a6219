using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Lifecycle;

namespace Cassette.Jobs
{
    /// <summary>
    /// One input's work for a child job, with everything it needs captured on the pipeline thread beforehand: it must
    /// never read session state. Its texts are shown by Get-Job, so none of them may carry the API key.
    /// </summary>
    internal interface IJobWork
    {
        /// <summary>The command as Get-Job shows it.</summary>
        string Command { get; }

        /// <summary>The cmdlet's name, the source of the job's information records.</summary>
        string CommandName { get; }

        /// <summary>Where the work runs: the queue's host and port.</summary>
        string Location { get; }

        /// <summary>
        /// Runs to the one output object; on cancellation it undoes what it can (fal's cancel) before it throws.
        /// <paramref name="handOver"/> may be called once with that same object before the work's last steps (the
        /// journal's outcome line), so that it reaches Receive-Job or the pipeline without waiting for them.
        /// <paramref name="leftQueue"/> may be called once as soon as the work's request no longer runs on the queue (it
        /// completed there, so its runner is free) while the work still reads its result: -ThrottleLimit counts requests
        /// running on the queue, so the next child may submit then instead of after this one's last steps.
        /// </summary>
        Task<object> RunAsync(IMessageSink sink, System.Action<object> handOver, System.Action leftQueue, CancellationToken cancellationToken);

        /// <summary>What a failure is about, known only after it happened: the request once submitted, else the input.</summary>
        object? FailureTarget { get; }

        /// <summary>The error record a job's Error stream carries for a failure.</summary>
        ErrorRecord ToJobErrorRecord(System.Exception failure);
    }
}
