using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Lifecycle;

namespace Cassette.Jobs
{
    /// <summary>
    /// One input of a -AsJob invocation (or of a foreground run, which uses the same objects): waits for a slot under its
    /// parent's throttle, runs the work, adds its one output or error, and only then finishes (a finished job's streams
    /// may close). Its slot is freed as soon as its request completed on the queue (the work says so) or else when it
    /// finishes: the throttle counts requests running on the queue, so the next child submits while this one still
    /// reads its result and journals its outcome. Stopping cancels the work, which sends fal's cancel for a submitted
    /// request, and waits for it.
    /// Nothing here may throw out of a worker thread: every failure becomes the job's Failed state and error record.
    /// </summary>
    public sealed class CassetteGenerationChildJob : Job
    {
        public const string JobTypeName = "CassetteGenerationChildJob";

        private readonly IJobWork _work;
        private readonly JobStreamSink _sink;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly int _throttleLimit;
        private Task _run = Task.FromResult(true);
        private volatile string? _outcome;
        private volatile Exception? _failure;
        private int _handedOver;
        private SemaphoreSlim? _slot;

        internal CassetteGenerationChildJob(IJobWork work, int throttleLimit)
            : base(work.Command)
        {
            _work = work;
            _throttleLimit = throttleLimit;
            PSJobTypeName = JobTypeName;
            _sink = new JobStreamSink(this, work.CommandName, RaiseUpdated);
        }

        /// <summary>Something was added to a stream or the state changed; the foreground drain listens.</summary>
        internal event Action<CassetteGenerationChildJob>? Updated;

        public override string Location => _work.Location;

        public override bool HasMoreData =>
            Output.Count > 0 || Error.Count > 0 || Warning.Count > 0 || Verbose.Count > 0 || Progress.Count > 0 || Debug.Count > 0 || Information.Count > 0;

        /// <summary>What the job is doing now; read by Get-Job's table, so it never throws.</summary>
        public override string StatusMessage
        {
            get
            {
                try
                {
                    switch (JobStateInfo.State)
                    {
                        case JobState.NotStarted: return $"Waiting for a free slot (-ThrottleLimit {_throttleLimit})";
                        case JobState.Running: return _sink.Latest?.Describe(DateTimeOffset.UtcNow, wholeRequestId: true) ?? "Starting";
                        default: return _outcome ?? JobStateInfo.State.ToString();
                    }
                }
                catch (Exception)
                {
                    return string.Empty;
                }
            }
        }

        internal bool IsFinished => JobStates.IsFinished(JobStateInfo.State);

        /// <summary>Why the job failed, for the foreground, which reports it under the cmdlet's own identity.</summary>
        internal Exception? Failure => _failure;

        internal object? FailureTarget => _work.FailureTarget;

        internal ActivityProgress? LatestProgress => _sink.Latest;

        /// <summary>
        /// Queues for a slot on the calling thread, so children are served in the order they were added (with
        /// -ThrottleLimit 1, one after another in input order), then runs on the thread pool.
        /// </summary>
        internal void Start(SemaphoreSlim throttle)
        {
            Task slot;
            try
            {
                slot = throttle.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                slot = Task.FromCanceled(_stop.Token);
            }
            Volatile.Write(ref _run, Task.Run(() => RunAsync(throttle, slot)));
        }

        public override void StopJob()
        {
            RequestStop();
            WaitForEnd(JobStates.StopWait);
        }

        /// <summary>Cancels the work without waiting, so a parent can cancel all its children at once.</summary>
        internal void RequestStop()
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            catch (AggregateException)
            {
                // A cancellation callback failed; the work still sees the cancelled token.
            }
        }

        /// <summary>Waits for the work (and its remote cancel) to end; false if it did not within the time.</summary>
        internal bool WaitForEnd(TimeSpan timeout)
        {
            try
            {
                return Volatile.Read(ref _run).Wait(timeout);
            }
            catch (AggregateException)
            {
                return true;
            }
        }

        private async Task RunAsync(SemaphoreSlim throttle, Task slot)
        {
            object? result = null;
            Exception? failure = null;
            try
            {
                await slot.ConfigureAwait(false);
                Volatile.Write(ref _slot, throttle);
                SetJobState(JobState.Running);
                RaiseUpdated();
                result = await _work.RunAsync(_sink, HandOver, ReleaseSlot, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            try
            {
                Finish(result, failure);
            }
            finally
            {
                // Work that never reached the queue's completion (a failure, a stop) frees its slot once finished.
                ReleaseSlot();
            }
        }

        /// <summary>Frees this child's throttle slot, once: when its request left the queue, else when it finished.</summary>
        private void ReleaseSlot() => Interlocked.Exchange(ref _slot, null)?.Release();

        private void Finish(object? result, Exception? failure)
        {
            string? requestId = _sink.Latest?.RequestId;
            // A stop wins over whatever the cancellation made the work throw.
            JobState state = result != null ? JobState.Completed
                : _stop.IsCancellationRequested ? JobState.Stopped
                : failure != null ? JobState.Failed
                : JobState.Completed;
            try
            {
                _sink.CompleteProgress();
                switch (state)
                {
                    case JobState.Completed:
                        if (result != null) AddOutput(result);
                        _outcome = $"Completed (request {result ?? requestId})";
                        break;
                    case JobState.Stopped:
                        _outcome = requestId is null ? "Stopped before a request was submitted" : $"Stopped (request {requestId} cancelled)";
                        break;
                    default:
                        _failure = failure;
                        _outcome = "Failed: " + failure!.Message;
                        JobStreams.TryAdd(Error, _work.ToJobErrorRecord(failure));
                        break;
                }
            }
            finally
            {
                // Whatever happened above, the job must finish, or its parent and Receive-Job -Wait would wait forever.
                SetJobState(state);
                RaiseUpdated();
            }
        }

        /// <summary>The work's output, as soon as it exists: the foreground writes it while the work records its outcome.</summary>
        private void HandOver(object result)
        {
            AddOutput(result);
            RaiseUpdated();
        }

        /// <summary>Adds the one output object, once, whether it was handed over early or returned at the end.</summary>
        private void AddOutput(object result)
        {
            if (Interlocked.Exchange(ref _handedOver, 1) == 0) JobStreams.TryAdd(Output, PSObject.AsPSObject(result));
        }

        private void RaiseUpdated()
        {
            try
            {
                Updated?.Invoke(this);
            }
            catch (Exception)
            {
                // A listener's failure must not end the work on a worker thread.
            }
        }

        protected override void Dispose(bool disposing)
        {
            // A running job's work still holds the token; it is released with the job once that work ended.
            if (disposing && IsFinished) _stop.Dispose();
            base.Dispose(disposing);
        }
    }
}
