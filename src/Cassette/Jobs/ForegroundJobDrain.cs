using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using Cassette.Cmdlets;

namespace Cassette.Jobs
{
    /// <summary>
    /// Without -AsJob the cmdlet runs the very same jobs and writes what they produce itself, from the pipeline thread
    /// (the only thread that may write): each track as it completes, a non-terminating error for each failure, their
    /// verbose, warning and server-log lines, and a progress bar per running request whose elapsed time keeps ticking.
    /// </summary>
    internal sealed class ForegroundJobDrain : IDisposable
    {
        private static readonly TimeSpan ProgressTick = TimeSpan.FromMilliseconds(500);

        private readonly CassetteGenerationJob _job;
        private readonly CassetteCmdlet _cmdlet;
        private readonly BlockingCollection<CassetteGenerationChildJob> _updated = new BlockingCollection<CassetteGenerationChildJob>();
        private readonly ConcurrentDictionary<CassetteGenerationChildJob, bool> _queued = new ConcurrentDictionary<CassetteGenerationChildJob, bool>();
        private readonly HashSet<CassetteGenerationChildJob> _reported = new HashSet<CassetteGenerationChildJob>();

        public ForegroundJobDrain(CassetteGenerationJob job, CassetteCmdlet cmdlet)
        {
            _job = job;
            _cmdlet = cmdlet;
            job.ChildUpdated += OnChildUpdated;
            job.StateChanged += OnJobStateChanged;
        }

        /// <summary>Writes what is ready without waiting (between input records).</summary>
        public void WriteAvailable()
        {
            while (_updated.TryTake(out var child)) Write(child);
        }

        /// <summary>
        /// Writes results as they come until every child ended. Ctrl+C (the token) stops the job, which cancels the
        /// remote requests, and then ends the command without an error record.
        /// </summary>
        public void WriteUntilDone(CancellationToken stopToken)
        {
            try
            {
                while (!_updated.IsCompleted)
                {
                    if (_updated.TryTake(out var child, (int)ProgressTick.TotalMilliseconds, stopToken)) Write(child);
                    ShowRunningProgress();
                }
            }
            catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
            {
                _job.StopJob();
                throw new PipelineStoppedException();
            }
            // The last child's final words may come after the job finished and the queue closed.
            foreach (var child in _job.Children) Write(child);
        }

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
            foreach (var output in child.Output.ReadAll()) _cmdlet.WriteObject(output);

            var progress = child.LatestProgress;
            if (!finished)
            {
                if (progress != null && child.JobStateInfo.State == JobState.Running) _cmdlet.ShowProgress(progress, DateTimeOffset.UtcNow);
                return;
            }
            if (!_reported.Add(child)) return;
            if (progress != null) _cmdlet.EndProgress(progress);
            if (child.JobStateInfo.State == JobState.Failed && child.Failure != null) _cmdlet.WriteFailure(child.Failure, child.FailureTarget);
        }

        private void ShowRunningProgress()
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var child in _job.Children)
            {
                if (child.JobStateInfo.State == JobState.Running && child.LatestProgress is { } progress) _cmdlet.ShowProgress(progress, now);
            }
        }

        private void OnChildUpdated(CassetteGenerationChildJob child)
        {
            // One pending entry per child is enough: writing it drains all it has.
            if (!_queued.TryAdd(child, true)) return;
            try
            {
                _updated.Add(child);
            }
            catch (InvalidOperationException)
            {
                // The job finished (or the drain was disposed, ObjectDisposedException); WriteUntilDone's last sweep
                // picks this up.
            }
        }

        private void OnJobStateChanged(object? sender, JobStateEventArgs e)
        {
            if (!JobStates.IsFinished(e.JobStateInfo.State)) return;
            try
            {
                _updated.CompleteAdding();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _job.ChildUpdated -= OnChildUpdated;
            _job.StateChanged -= OnJobStateChanged;
            _updated.Dispose();
        }
    }
}
