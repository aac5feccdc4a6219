using System;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// What every Cassette cmdlet shares: one cancellation source per invocation that Ctrl+C (StopProcessing)
    /// cancels, and a blocking bridge from async work to the pipeline thread.
    /// </summary>
    public abstract class CassetteCmdlet : PSCmdlet, IDisposable
    {
        private static readonly Lazy<HttpClient> SharedHttp = new Lazy<HttpClient>(() =>
            new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan });

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>One HttpClient for the process: deadlines are per request, through cancellation tokens.</summary>
        internal static HttpClient Http => SharedHttp.Value;

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

        protected void Await(Task task) => Await(AsTrue(task));

        private static async Task<bool> AsTrue(Task task)
        {
            await task.ConfigureAwait(false);
            return true;
        }

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
