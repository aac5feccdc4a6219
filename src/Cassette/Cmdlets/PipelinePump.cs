using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Cassette.Lifecycle;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// The one bridge from work off the pipeline thread to the pipeline: a concurrent message queue that any thread may
    /// post to and only the pipeline thread drains (CassetteCmdlet.Pump). Like PSResourceGet's WriteOutConcurrentQueue.
    /// Posting never writes, so no retry callback, worker or job event can call Write*, ShouldProcess or the host.
    /// Progress keeps only the latest snapshot per activity, so a chatty stream cannot flood the host.
    /// </summary>
    internal sealed class PipelinePump : IMessageSink, IDisposable
    {
        private readonly ConcurrentQueue<Message> _messages = new ConcurrentQueue<Message>();
        private readonly ConcurrentDictionary<int, ActivityProgress> _progress = new ConcurrentDictionary<int, ActivityProgress>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private bool _resultExpected;

        /// <summary>
        /// How long the pipeline thread keeps checking for a track whose result request is already on its way before it
        /// blocks. Waking a blocked thread costs a scheduler round trip that the official client (one event loop) does
        /// not pay; a local result arrives within this time, a remote one falls back to the ordinary wait.
        /// </summary>
        internal static readonly TimeSpan ResultSpin = TimeSpan.FromMilliseconds(2);

        internal enum Kind
        {
            Verbose,
            Warning,
            Information,
            /// <summary>Something to do on the pipeline thread: the foreground's reading of a job that reported.</summary>
            OnPipelineThread,
        }

        internal readonly struct Message
        {
            public Message(Kind kind, object payload)
            {
                Kind = kind;
                Payload = payload;
            }

            public Kind Kind { get; }
            public object Payload { get; }
        }

        public void Progress(ActivityProgress progress)
        {
            _progress[progress.ActivityId] = progress;
            Signal();
        }

        public void Verbose(string message) => Post(Kind.Verbose, message);
        public void Information(CassetteLogEntry entry) => Post(Kind.Information, entry);
        public void Warning(string message) => Post(Kind.Warning, message);

        /// <summary>Queues an action for the pipeline thread, which runs it when it next drains the pump.</summary>
        public void PostToPipelineThread(Action action) => Post(Kind.OnPipelineThread, action);

        /// <summary>Wakes the pipeline thread (work ended, a job finished).</summary>
        public void Signal()
        {
            try { _signal.Release(); }
            catch (ObjectDisposedException) { }
            catch (SemaphoreFullException) { }
        }

        /// <summary>
        /// Pipeline thread only: a request completed and its result is being read, so the next wait checks for it
        /// actively for a moment (<see cref="ResultSpin"/>), once, before it blocks.
        /// </summary>
        internal void ExpectResult() => _resultExpected = true;

        /// <summary>Waits until something is posted or the time passes.</summary>
        internal void Wait(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (_resultExpected)
            {
                _resultExpected = false;
                if (SpinUntilSignalled(ResultSpin, cancellationToken)) return;
            }
            try
            {
                _signal.Wait(timeout, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>
        /// Checks for a signal until one comes or the time passes, giving the core away between checks (Thread.Yield,
        /// never Sleep(1), which would cost a whole timer tick): bounded, and only while a result is known to be coming.
        /// </summary>
        private bool SpinUntilSignalled(TimeSpan limit, CancellationToken cancellationToken)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int round = 0; !cancellationToken.IsCancellationRequested; round++)
            {
                if (_signal.Wait(0)) return true;
                if (clock.Elapsed >= limit) return false;
                if (round < 10) Thread.SpinWait(4 << round);
                else Thread.Yield();
            }
            return false;
        }

        internal bool TryTake(out Message message) => _messages.TryDequeue(out message);

        internal ICollection<ActivityProgress> CurrentProgress => _progress.Values;

        /// <summary>Forgets the activities shown so far (the work that reported them ended).</summary>
        internal void ClearProgress() => _progress.Clear();

        private void Post(Kind kind, object payload)
        {
            _messages.Enqueue(new Message(kind, payload));
            Signal();
        }

        public void Dispose() => _signal.Dispose();
    }
}
