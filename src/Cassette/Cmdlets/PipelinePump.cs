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

        /// <summary>Waits until something is posted or the time passes.</summary>
        internal void Wait(TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                _signal.Wait(timeout, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
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
