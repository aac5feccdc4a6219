using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using Cassette.Lifecycle;

namespace Cassette.Jobs
{
    /// <summary>
    /// Where a child job's work reports: verbose, warning and server log lines go to the job's own streams, progress too
    /// (as records for Receive-Job) while the latest snapshot is kept for StatusMessage and the foreground's progress bar.
    /// A job nobody receives from keeps everything in memory, so progress is recorded only when it says something new and
    /// both progress and verbose records are capped per job; warnings and the server's log are never dropped.
    /// </summary>
    internal sealed class JobStreamSink : IMessageSink
    {
        public const int MaxProgressRecords = 100;
        public const int MaxVerboseRecords = 200;

        private readonly Job _job;
        private readonly string _source;
        private readonly Action _updated;
        private readonly object _gate = new object();
        private readonly Dictionary<int, string> _openActivities = new Dictionary<int, string>();
        private ActivityProgress? _latest;
        private string? _lastProgressKey;
        private int _progressRecords;
        private int _verboseRecords;

        public JobStreamSink(Job job, string source, Action updated)
        {
            _job = job;
            _source = source;
            _updated = updated;
        }

        /// <summary>The last progress the work reported, or null before any.</summary>
        public ActivityProgress? Latest => Volatile.Read(ref _latest);

        public void Progress(ActivityProgress progress)
        {
            Volatile.Write(ref _latest, progress);
            ProgressRecord? record = null;
            if (progress.Phase != ActivityPhase.Done)
            {
                string key = $"{progress.ActivityId}|{progress.Phase}|{progress.QueuePosition}|{progress.RequestId}|{progress.PercentComplete / 10}";
                lock (_gate)
                {
                    // One record is kept back for the Completed record that closes the bar.
                    if (key != _lastProgressKey && _progressRecords < MaxProgressRecords - 1)
                    {
                        _lastProgressKey = key;
                        _progressRecords++;
                        _openActivities[progress.ActivityId] = progress.Activity;
                        record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.Describe(DateTimeOffset.UtcNow))
                        {
                            PercentComplete = progress.PercentComplete,
                        };
                    }
                }
            }
            if (record != null) JobStreams.TryAdd(_job.Progress, record);
            _updated();
        }

        public void Verbose(string message)
        {
            string? text = message;
            lock (_gate)
            {
                _verboseRecords++;
                if (_verboseRecords == MaxVerboseRecords)
                    text = $"Further verbose messages of this job are not kept (at most {MaxVerboseRecords}).";
                else if (_verboseRecords > MaxVerboseRecords)
                    text = null;
            }
            if (text is null) return;
            JobStreams.TryAdd(_job.Verbose, new VerboseRecord(text));
            _updated();
        }

        public void Information(CassetteLogEntry entry)
        {
            var record = new InformationRecord(entry, _source);
            record.Tags.Add("Cassette");
            record.Tags.Add("ServerLog");
            record.Tags.Add(entry.Level);
            JobStreams.TryAdd(_job.Information, record);
            _updated();
        }

        public void Warning(string message)
        {
            JobStreams.TryAdd(_job.Warning, new WarningRecord(message));
            _updated();
        }

        /// <summary>Closes every progress bar this job opened, so Receive-Job leaves none behind.</summary>
        public void CompleteProgress()
        {
            KeyValuePair<int, string>[] open;
            lock (_gate)
            {
                open = new KeyValuePair<int, string>[_openActivities.Count];
                ((ICollection<KeyValuePair<int, string>>)_openActivities).CopyTo(open, 0);
                _openActivities.Clear();
            }
            foreach (var activity in open)
                JobStreams.TryAdd(_job.Progress, new ProgressRecord(activity.Key, activity.Value, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
