using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Errors;
using Cassette.Generation;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// What every Cassette cmdlet shares: one cancellation source per invocation that Ctrl+C (StopProcessing) cancels,
    /// a blocking bridge from async work to the pipeline thread that writes the work's progress and messages as they
    /// come, and one way to turn failures into error records.
    /// </summary>
    public abstract class CassetteCmdlet : PSCmdlet, IDisposable
    {
        private static readonly Lazy<HttpClient> SharedHttp = new Lazy<HttpClient>(() => CreateHttp(followRedirects: true));

        // Queue calls carry the key and fal's queue never redirects: a redirect is answered as an error rather than
        // followed, so no handler (on any runtime) can carry the Authorization header to another host.
        private static readonly Lazy<HttpClient> SharedQueueHttp = new Lazy<HttpClient>(() => CreateHttp(followRedirects: false));

        /// <summary>How long the pipeline thread waits for background work to end once Ctrl+C was pressed.</summary>
        private static readonly TimeSpan StopGrace = GenerationSettings.CancelDeadline + TimeSpan.FromSeconds(5);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly Dictionary<int, string> _shownProgress = new Dictionary<int, string>();

        private static HttpClient CreateHttp(bool followRedirects)
        {
            var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects };
            try
            {
                // .NET Framework allows two connections per host by default, and every status stream holds one open.
                handler.MaxConnectionsPerServer = 256;
            }
            catch (PlatformNotSupportedException)
            {
            }
            return new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        /// <summary>One HttpClient for the process, for downloads: deadlines are per request, through cancellation tokens.</summary>
        internal static HttpClient Http => SharedHttp.Value;

        /// <summary>The HttpClient for calls to the queue, which never follows redirects.</summary>
        internal static HttpClient QueueHttp => SharedQueueHttp.Value;

        protected CancellationToken StopToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Runs async work to completion on the pipeline thread; Ctrl+C surfaces as PipelineStoppedException.</summary>
        protected T Await<T>(Task<T> task)
        {
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Runs background work and, until it ends, writes what it reports (progress, verbose, information, warnings)
        /// from this thread. After Ctrl+C it stops writing but still waits for the work, which is cancelling its remote
        /// request, so the command returns only once that is done.
        /// </summary>
        internal T RunWithMessages<T>(Func<IGenerationSink, CancellationToken, Task<T>> work)
        {
            using var sink = new PipelineSink();
            var token = StopToken;
            var task = Task.Run(() => work(sink, token));
            task.ContinueWith(_ => sink.Signal(), TaskScheduler.Default);
            bool writing = true;
            try
            {
                while (!task.IsCompleted)
                {
                    sink.WaitForMessages(TimeSpan.FromMilliseconds(500));
                    if (writing) writing = Drain(sink);
                    if (!writing || token.IsCancellationRequested)
                    {
                        // Stopped: no more writing; give the work a bounded time to cancel its remote request.
                        ((IAsyncResult)task).AsyncWaitHandle.WaitOne(StopGrace);
                        break;
                    }
                }
                if (token.IsCancellationRequested && !task.IsCompleted) throw new PipelineStoppedException();
                if (writing) Drain(sink);
                return Await(task);
            }
            finally
            {
                if (writing && !token.IsCancellationRequested) CompleteProgress(sink);
            }
        }

        /// <summary>Writes everything queued; false when the pipeline is stopping and nothing more may be written.</summary>
        private bool Drain(PipelineSink sink)
        {
            try
            {
                while (sink.TryDequeue(out var message))
                {
                    switch (message.Key)
                    {
                        case "verbose": WriteVerbose((string)message.Value); break;
                        case "warning": WriteWarning((string)message.Value); break;
                        case "information":
                            var entry = (CassetteLogEntry)message.Value;
                            WriteInformation(entry, new[] { "Cassette", "ServerLog", entry.Level });
                            break;
                    }
                }
                var now = DateTimeOffset.UtcNow;
                foreach (var progress in sink.CurrentProgress) ShowProgress(progress, now);
                return true;
            }
            catch (PipelineStoppedException)
            {
                return false;
            }
        }

        private void CompleteProgress(PipelineSink sink)
        {
            try
            {
                foreach (var progress in sink.CurrentProgress) EndProgress(progress);
            }
            catch (PipelineStoppedException)
            {
            }
        }

        /// <summary>Shows an activity's progress from the pipeline thread, unless the same text is already shown.</summary>
        internal void ShowProgress(GenerationProgress progress, DateTimeOffset now)
        {
            if (progress.Phase == GenerationPhase.Done) return;
            string text = progress.Describe(now);
            if (_shownProgress.TryGetValue(progress.ActivityId, out var shown) && shown == text) return;
            _shownProgress[progress.ActivityId] = text;
            WriteProgress(new ProgressRecord(progress.ActivityId, progress.Activity, text) { PercentComplete = progress.PercentComplete });
        }

        /// <summary>Closes an activity's progress bar if one was shown.</summary>
        internal void EndProgress(GenerationProgress progress)
        {
            if (!_shownProgress.Remove(progress.ActivityId)) return;
            WriteProgress(new ProgressRecord(progress.ActivityId, progress.Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>A non-terminating error for one input, with a stable id, its category and the request as target.</summary>
        internal void WriteFailure(Exception exception, object? target) => WriteError(ErrorMapper.ToRecord(exception, target));

        internal void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(ErrorMapper.ToRecord(exception, target));

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>PowerShell disposes a command however its pipeline ended (done, Ctrl+C, a terminating error).</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (disposing) _stopping.Dispose();
        }
    }
}
