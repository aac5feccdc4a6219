using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Lifecycle;
using Cassette.Protocol;

namespace Cassette.Jobs
{
    /// <summary>New-CassetteTrack's work for one prompt: the request lifecycle run to the track, or only its submission with -NoWait.</summary>
    internal sealed class TrackJobWork : IJobWork
    {
        private readonly RequestLifecycle _lifecycle;
        private readonly TrackInput _input;
        private readonly TimeSpan? _timeout;
        private readonly bool _submitOnly;
        private readonly JobIdentity _identity;
        private volatile CassetteRequest? _request;

        public TrackJobWork(RequestLifecycle lifecycle, TrackInput input, TimeSpan? timeout, bool submitOnly, JobIdentity identity)
        {
            _lifecycle = lifecycle;
            _input = input;
            _timeout = timeout;
            _submitOnly = submitOnly;
            _identity = identity;
            Location = lifecycle.Client.QueueUrl.Authority;
            string modelPart = string.Equals(input.Model.FullId, FalModelId.MusicGenerator, StringComparison.OrdinalIgnoreCase) ? "" : $" -Model {input.Model.FullId}";
            Command = $"{identity.CommandName} -Prompt '{input.Prompt.Replace("'", "''")}' -Duration {input.Duration}{modelPart}{(submitOnly ? " -NoWait" : "")}";
        }

        public string Command { get; }
        public string CommandName => _identity.CommandName;
        public string Location { get; }
        public object? FailureTarget => (object?)_request ?? _input.Prompt;

        public async Task<object> RunAsync(IMessageSink sink, Action<object> handOver, Action leftQueue, CancellationToken cancellationToken)
        {
            if (_submitOnly)
            {
                var request = await _lifecycle.SubmitAsync(_input, sink, cancellationToken).ConfigureAwait(false);
                _request = request;
                return request;
            }
            return await _lifecycle.GenerateAsync(_input, _timeout, sink, r => _request = r, leftQueue, handOver, cancellationToken).ConfigureAwait(false);
        }

        public ErrorRecord ToJobErrorRecord(Exception failure) => JobErrorRecord.Create(failure, FailureTarget, _identity);
    }
}
