using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;

namespace Cassette.Jobs
{
    /// <summary>
    /// The one job a -AsJob invocation returns, with one child per input (like Invoke-Command -AsJob). At most ThrottleLimit
    /// of its children have a request running on the queue at a time, under a throttle of this job's own, never one
    /// shared by the process (a child whose request completed may still be reading its result beside them). Its state
    /// follows theirs once the input has ended: Failed if any failed, else Stopped if a stop was asked, else Completed.
    /// </summary>
    public sealed class CassetteGenerationJob : Job
    {
        public const string JobTypeName = "CassetteGenerationJob";

        private readonly SemaphoreSlim _throttle;
        private readonly object _gate = new object();
        private readonly List<CassetteGenerationChildJob> _children = new List<CassetteGenerationChildJob>();
        private bool _inputClosed;
        private volatile bool _stopRequested;
        private int _finished;

        internal CassetteGenerationJob(string command, string? name, int throttleLimit)
            : base(command, name)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), throttleLimit, "At least one child must be allowed to run.");
            ThrottleLimit = throttleLimit;
            PSJobTypeName = JobTypeName;
            _throttle = new SemaphoreSlim(throttleLimit, throttleLimit);
            // If pwsh exits while this job runs, its requests are left running, and pwsh says so (ExitNotice).
            ExitNotice.Track(this);
        }

        /// <summary>How many children run at once.</summary>
        public int ThrottleLimit { get; }

        /// <summary>Slots no child holds now (for tests).</summary>
        internal int FreeSlots => _throttle.CurrentCount;

        /// <summary>A child reported something or changed state.</summary>
        internal event Action<CassetteGenerationChildJob>? ChildUpdated;

        internal CassetteGenerationChildJob[] Children
        {
            get
            {
                lock (_gate) return _children.ToArray();
            }
        }

        public override string Location
        {
            get
            {
                try
                {
                    return string.Join(", ", Children.Select(c => c.Location).Distinct(StringComparer.OrdinalIgnoreCase));
                }
                catch (Exception)
                {
                    return string.Empty;
                }
            }
        }

        /// <summary>Counts of the children by state, such as "2 completed, 1 failed, 4 running, 3 waiting".</summary>
        public override string StatusMessage
        {
            get
            {
                try
                {
                    var children = Children;
                    if (children.Length == 0) return "No input";
                    var counts = children.GroupBy(c => c.JobStateInfo.State).ToDictionary(g => g.Key, g => g.Count());
                    var parts = new List<string>();
                    void Part(JobState state, string word)
                    {
                        if (counts.TryGetValue(state, out int n)) parts.Add($"{n} {word}");
                    }
                    Part(JobState.Completed, "completed");
                    Part(JobState.Failed, "failed");
                    Part(JobState.Stopped, "stopped");
                    Part(JobState.Running, "running");
                    Part(JobState.NotStarted, "waiting");
                    return string.Join(", ", parts);
                }
                catch (Exception)
                {
                    return string.Empty;
                }
            }
        }

        public override bool HasMoreData =>
            Children.Any(c => c.HasMoreData)
            || Output.Count > 0 || Error.Count > 0 || Warning.Count > 0 || Verbose.Count > 0 || Progress.Count > 0 || Debug.Count > 0 || Information.Count > 0;

        /// <summary>Adds and starts a child for one input (from the pipeline thread, before the input is closed).</summary>
        internal CassetteGenerationChildJob Add(IJobWork work)
        {
            var child = new CassetteGenerationChildJob(work, ThrottleLimit);
            child.StateChanged += OnChildStateChanged;
            child.Updated += OnChildUpdated;
            lock (_gate)
            {
                if (_inputClosed) throw new InvalidOperationException("The job takes no more input.");
                _children.Add(child);
                ChildJobs.Add(child);
            }
            if (JobStateInfo.State == JobState.NotStarted) SetJobState(JobState.Running);
            child.Start(_throttle);
            return child;
        }

        /// <summary>No more children will come: the job finishes when the ones it has do.</summary>
        internal void CloseInput()
        {
            lock (_gate) _inputClosed = true;
            TryFinish();
        }

        /// <summary>
        /// Stops every child at once (waiting ones at once, running ones after fal's cancel) and returns when they
        /// ended. Also ends the input: a stopped job takes no more.
        /// </summary>
        public override void StopJob()
        {
            _stopRequested = true;
            CassetteGenerationChildJob[] children;
            lock (_gate)
            {
                _inputClosed = true;
                children = _children.ToArray();
            }
            foreach (var child in children) child.RequestStop();
            var deadline = DateTime.UtcNow + JobStates.StopWait;
            foreach (var child in children)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !child.WaitForEnd(left)) break;
            }
            TryFinish();
        }

        private void OnChildUpdated(CassetteGenerationChildJob child) => ChildUpdated?.Invoke(child);

        private void OnChildStateChanged(object? sender, JobStateEventArgs e)
        {
            if (JobStates.IsFinished(e.JobStateInfo.State)) TryFinish();
        }

        private void TryFinish()
        {
            CassetteGenerationChildJob[] children;
            lock (_gate)
            {
                if (!_inputClosed) return;
                children = _children.ToArray();
            }
            if (children.Any(c => !c.IsFinished)) return;
            if (Interlocked.Exchange(ref _finished, 1) == 1) return;
            var state = children.Any(c => c.JobStateInfo.State == JobState.Failed) ? JobState.Failed
                : _stopRequested || children.Any(c => c.JobStateInfo.State == JobState.Stopped) ? JobState.Stopped
                : JobState.Completed;
            SetJobState(state);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                foreach (var child in Children) child.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
