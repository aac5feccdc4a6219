using System;
using System.Threading;

namespace Cassette.Generation
{
    /// <summary>
    /// Where background work reports what the user should see. Implementations queue the messages for the pipeline
    /// thread (the cmdlet, or a job's streams): no implementation may call WriteObject or WriteProgress directly.
    /// </summary>
    internal interface IGenerationSink
    {
        void Progress(GenerationProgress progress);
        void Verbose(string message);
        /// <summary>A line of the server's log, for the Information stream.</summary>
        void Information(CassetteLogEntry entry);
        void Warning(string message);
    }

    internal enum GenerationPhase
    {
        Submitting,
        InQueue,
        InProgress,
        FetchingResult,
        Downloading,
        Done,
    }

    /// <summary>A snapshot of one activity's progress; the reader renders elapsed time from PhaseStarted.</summary>
    internal sealed class GenerationProgress
    {
        private static int _nextActivityId;

        public GenerationProgress(int activityId, string activity, GenerationPhase phase, string? requestId, int? queuePosition,
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
        public GenerationPhase Phase { get; }
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
                case GenerationPhase.Submitting: return "Submitting to the queue";
                case GenerationPhase.InQueue:
                    return QueuePosition is int p ? $"In the queue: {p} request{(p == 1 ? "" : "s")} ahead, {elapsed} waiting{id}" : $"In the queue, {elapsed} waiting{id}";
                case GenerationPhase.InProgress: return $"Generating, {elapsed} elapsed{id}";
                case GenerationPhase.FetchingResult: return $"Fetching the result{id}";
                case GenerationPhase.Downloading:
                    return BytesTotal is long total && total > 0
                        ? $"{BytesDone / 1048576.0:0.0} of {total / 1048576.0:0.0} MB"
                        : $"{BytesDone / 1048576.0:0.0} MB";
                default: return "Done";
            }
        }

        public int PercentComplete =>
            Phase == GenerationPhase.Downloading && BytesTotal is long total && total > 0 ? (int)Math.Min(100, BytesDone * 100 / total) : -1;

        private static string FormatElapsed(TimeSpan span) =>
            span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss") : span.ToString(@"m\:ss");
    }
}
