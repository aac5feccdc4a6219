using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Jobs;
using Cassette.Lifecycle;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// Without -AsJob the cmdlet runs the very same jobs and writes what they produce itself. A child that reports
    /// posts to the cmdlet's pipeline pump; the pipeline thread, draining the pump, writes each track as it completes,
    /// a non-terminating error for each failure, their verbose, warning and server-log lines, and a progress bar per
    /// running request whose elapsed time keeps ticking, beneath one overall bar for a batch.
    /// </summary>
    internal sealed class ForegroundJobDrain : IDisposable
    {
        private readonly CassetteGenerationJob _job;
        private readonly CassetteCmdlet _cmdlet;
        private readonly ConcurrentDictionary<CassetteGenerationChildJob, bool> _queued = new ConcurrentDictionary<CassetteGenerationChildJob, bool>();
        private readonly HashSet<CassetteGenerationChildJob> _reported = new HashSet<CassetteGenerationChildJob>();
        private readonly TaskCompletionSource<bool> _finished = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly BatchProgress _batch = new BatchProgress();
        private bool _batchShown;

        public ForegroundJobDrain(CassetteGenerationJob job, CassetteCmdlet cmdlet)
        {
            _job = job;
            _cmdlet = cmdlet;
            job.ChildUpdated += OnChildUpdated;
            job.StateChanged += OnJobStateChanged;
        }

        /// <summary>Writes what is ready without waiting (between input records).</summary>
        public void WriteAvailable() => _cmdlet.DrainPump();

        /// <summary>
        /// Writes results as they come until every child ended. Ctrl+C stops the job, which cancels the remote
        /// requests, and then ends the command without an error record.
        /// </summary>
        public void WriteUntilDone()
        {
            if (JobStates.IsFinished(_job.JobStateInfo.State)) _finished.TrySetResult(true);
            if (!_cmdlet.PumpUntil(_finished.Task, ShowRunningProgress))
            {
                _job.StopJob();
                // StopJob returned once the children cancelled their requests; what they warned of meanwhile is shown.
                foreach (var child in _job.Children)
                    foreach (var record in child.Warning.ReadAll()) _cmdlet.WarnAfterStop(record.Message);
                throw _cmdlet.Stopped();
            }
            // The last child's final words may come after the job finished.
            foreach (var child in _job.Children) Write(child);
            if (_batchShown) _cmdlet.CloseProgressRecord(_batch.Completed(_job.Children.Length));
        }

        /// <summary>Runs on the pipeline thread only: posted through the pump by OnChildUpdated.</summary>
        private void Write(CassetteGenerationChildJob child)
        {
            _queued.TryRemove(child, out _);
            // Read before the streams: a job that is finished has added everything it will.
            bool finished = child.IsFinished;
            foreach (var record in child.Verbose.ReadAll()) _cmdlet.WriteVerbose(record.Message);
            foreach (var record in child.Warning.ReadAll()) _cmdlet.WriteWarning(record.Message);
            foreach (var record in child.Information.ReadAll()) _cmdlet.WriteInformation(record);
            // Progress is shown from the latest snapshot instead, so the elapsed time moves between server events; the
            // job's error record is replaced by the cmdlet's own, written below.
            child.Progress.ReadAll();
            child.Error.ReadAll();
            bool wroteTrack = false;
            foreach (var output in child.Output.ReadAll())
            {
                _cmdlet.WriteObject(output);
                wroteTrack = true;
            }

            var progress = child.LatestProgress;
            if (!finished)
            {
                // Its result is being read: the track is a moment away, so the next wait looks for it before blocking.
                if (progress?.Phase == ActivityPhase.FetchingResult && !wroteTrack) _cmdlet.Pump.ExpectResult();
                ShowBatch();
                if (progress != null && child.JobStateInfo.State == JobState.Running) _cmdlet.ShowProgress(progress, DateTimeOffset.UtcNow, ParentActivityId);
                return;
            }
            if (!_reported.Add(child)) return;
            if (progress != null) _cmdlet.EndProgress(progress, ParentActivityId);
            ShowBatch();
            if (child.JobStateInfo.State == JobState.Failed && child.Failure != null) _cmdlet.WriteFailure(child.Failure, child.FailureTarget);
        }

        private void ShowRunningProgress()
        {
            ShowBatch();
            var now = DateTimeOffset.UtcNow;
            foreach (var child in _job.Children)
            {
                if (child.JobStateInfo.State == JobState.Running && child.LatestProgress is { } progress) _cmdlet.ShowProgress(progress, now, ParentActivityId);
            }
        }

        /// <summary>The overall bar, once there are two prompts or more; the tracks' bars are its children from then on.</summary>
        private void ShowBatch()
        {
            var children = _job.Children;
            if (!BatchProgress.IsBatch(children)) return;
            _batchShown = true;
            _cmdlet.ShowProgressRecord(_batch.Describe(children));
        }

        private int ParentActivityId => _batchShown ? _batch.ActivityId : -1;

        /// <summary>Any thread: only posts. One pending entry per child is enough, as writing it drains all it has.</summary>
        private void OnChildUpdated(CassetteGenerationChildJob child)
        {
            if (!_queued.TryAdd(child, true)) return;
            _cmdlet.Pump.PostToPipelineThread(() => Write(child));
        }

        private void OnJobStateChanged(object? sender, JobStateEventArgs e)
        {
            if (!JobStates.IsFinished(e.JobStateInfo.State)) return;
            _finished.TrySetResult(true);
            _cmdlet.Pump.Signal();
        }

        public void Dispose()
        {
            _job.ChildUpdated -= OnChildUpdated;
            _job.StateChanged -= OnJobStateChanged;
        }
    }
}
