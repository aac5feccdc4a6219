using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Cassette.Generation;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// Collects what background work reports and hands it to the pipeline thread, which alone may write to the
    /// PowerShell streams. Progress keeps only the latest snapshot per activity, so a chatty stream cannot flood the host.
    /// </summary>
    internal sealed class PipelineSink : IGenerationSink, IDisposable
    {
        private readonly ConcurrentQueue<KeyValuePair<string, object>> _messages = new ConcurrentQueue<KeyValuePair<string, object>>();
        private readonly ConcurrentDictionary<int, GenerationProgress> _progress = new ConcurrentDictionary<int, GenerationProgress>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);

        public void Progress(GenerationProgress progress)
        {
            _progress[progress.ActivityId] = progress;
            Signal();
        }

        public void Verbose(string message) => Enqueue("verbose", message);
        public void Information(CassetteLogEntry entry) => Enqueue("information", entry);
        public void Warning(string message) => Enqueue("warning", message);

        public void Signal()
        {
            try { _signal.Release(); }
            catch (ObjectDisposedException) { }
            catch (SemaphoreFullException) { }
        }

        /// <summary>Waits until something is reported or the time passes.</summary>
        public void WaitForMessages(TimeSpan timeout) => _signal.Wait(timeout);

        public bool TryDequeue(out KeyValuePair<string, object> message) => _messages.TryDequeue(out message);

        public ICollection<GenerationProgress> CurrentProgress => _progress.Values;

        private void Enqueue(string kind, object message)
        {
            _messages.Enqueue(new KeyValuePair<string, object>(kind, message));
            Signal();
        }

        public void Dispose() => _signal.Dispose();
    }
}
