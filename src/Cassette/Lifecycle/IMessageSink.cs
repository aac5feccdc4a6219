using System;
using System.Threading;

namespace Cassette.Lifecycle
{
    /// <summary>
    /// Where work running off the pipeline thread reports what the user should see. Implementations only post messages:
    /// the cmdlet's pipeline pump, or a job's streams. None may call Write*, ShouldProcess or the host.
    /// </summary>
    internal interface IMessageSink
    {
        void Progress(ActivityProgress progress);
        void Verbose(string message);
        /// <summary>A line of the server's log, for the Information stream.</summary>
        void Information(CassetteLogEntry entry);
        void Warning(string message);
    }

    internal enum ActivityPhase
    {
        Submitting,
        InQueue,
        InProgress,
        FetchingResult,
        Downloading,
        Done,
    }

    /// <summary>A snapshot of one activity's progress; the reader renders elapsed time from PhaseStarted.</summary>
    internal sealed class ActivityProgress
    {
        private static int _nextActivityId;

        public ActivityProgress(int activityId, string activity, ActivityPhase phase, string? requestId, int? queuePosition,
            DateTimeOffset phaseStarted, long bytesDone = 0, long? bytesTotal = null)
        {
            ActivityId = activityId;
            Activity = activity;
            Phase = phase;
            RequestId = requestId;
            QueuePosition = queuePosition;
            PhaseStarted = phaseStarted;
            BytesDone = bytesDone;
            BytesTotal = bytesTotal;
        }

        /// <summary>A fresh progress activity id, unique in the process (parallel work gets one bar each).</summary>
        public static int NewActivityId() => Interlocked.Increment(ref _nextActivityId) % 100000 + 1;

        public int ActivityId { get; }
        public string Activity { get; }
        public ActivityPhase Phase { get; }
        public string? RequestId { get; }
        public int? QueuePosition { get; }
        public DateTimeOffset PhaseStarted { get; }
        public long BytesDone { get; }
        public long? BytesTotal { get; }

        public string Describe(DateTimeOffset now)
        {
            string elapsed = FormatElapsed(now - PhaseStarted);
            string id = RequestId is null ? string.Empty : $" (request {RequestId})";
            switch (Phase)
            {
                case ActivityPhase.Submitting: return "Submitting to the queue";
                case ActivityPhase.InQueue:
                    return QueuePosition is int p ? $"In the queue: {p} request{(p == 1 ? "" : "s")} ahead, {elapsed} waiting{id}" : $"In the queue, {elapsed} waiting{id}";
                case ActivityPhase.InProgress: return $"Generating, {elapsed} elapsed{id}";
                case ActivityPhase.FetchingResult: return $"Fetching the result{id}";
                case ActivityPhase.Downloading:
                    return BytesTotal is long total && total > 0
                        ? $"{BytesDone / 1048576.0:0.0} of {total / 1048576.0:0.0} MB"
                        : $"{BytesDone / 1048576.0:0.0} MB";
                default: return "Done";
            }
        }

        public int PercentComplete =>
            Phase == ActivityPhase.Downloading && BytesTotal is long total && total > 0 ? (int)Math.Min(100, BytesDone * 100 / total) : -1;

        private static string FormatElapsed(TimeSpan span) =>
            span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss") : span.ToString(@"m\:ss");
    }
}
