using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Journal;
using Cassette.Lifecycle;

namespace Cassette.Jobs
{
    /// <summary>
    /// New-CassetteTrack's work for a -BatchName item an earlier run already submitted: its track (BatchReuse), or with
    /// -NoWait the request as the journal knows it. Nothing is submitted.
    /// </summary>
    internal sealed class ReuseJobWork : IJobWork
    {
        private readonly RequestLifecycle _lifecycle;
        private readonly CassetteRequest _known;
        private readonly BatchItemKey _item;
        private readonly TimeSpan? _timeout;
        private readonly bool _requestOnly;
        private readonly JobIdentity _identity;

        public ReuseJobWork(RequestLifecycle lifecycle, CassetteRequest known, BatchItemKey item, TimeSpan? timeout, bool requestOnly, JobIdentity identity)
        {
            _lifecycle = lifecycle;
            _known = known;
            _item = item;
            _timeout = timeout;
            _requestOnly = requestOnly;
            _identity = identity;
            Location = lifecycle.Client.QueueUrl.Authority;
            Command = $"{identity.CommandName} -Prompt '{item.Prompt.Replace("'", "''")}' -Duration {item.Duration} -BatchName '{item.Batch.Replace("'", "''")}'" +
                      $"{(requestOnly ? " -NoWait" : "")} (reusing request {known.RequestId})";
        }

        public string Command { get; }
        public string CommandName => _identity.CommandName;
        public string Location { get; }
        public object? FailureTarget => _known;

        // A reused request is usually finished already (its track comes from the journal or one status read), so it is returned, not handed over early.
        public async Task<object> RunAsync(IMessageSink sink, Action<object> handOver, Action leftQueue, CancellationToken cancellationToken) =>
            _requestOnly
                ? _known
                : await BatchReuse.FetchAsync(_lifecycle, _known, _item, _timeout, sink, cancellationToken).ConfigureAwait(false);

        public ErrorRecord ToJobErrorRecord(Exception failure) => JobErrorRecord.Create(failure, FailureTarget, _identity);
    }
}
