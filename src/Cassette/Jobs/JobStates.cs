using System;
using System.Management.Automation;
using Cassette.Lifecycle;

namespace Cassette.Jobs
{
    internal static class JobStates
    {
        /// <summary>How long Stop-Job waits for running work to end: its remote cancel has a deadline of its own.</summary>
        public static readonly TimeSpan StopWait = RequestLifecycle.CancelDeadline + TimeSpan.FromSeconds(5);

        public static bool IsFinished(JobState state) => state == JobState.Completed || state == JobState.Failed || state == JobState.Stopped;
    }
}
