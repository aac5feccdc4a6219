using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Cmdlets;
using Cassette.Generation;
using Cassette.Protocol;

namespace Cassette.Jobs
{
    /// <summary>New-CassetteTrack's work for one prompt: a TrackGeneration run to its track, or only submitted with -NoWait.</summary>
    internal sealed class TrackJobWork : IJobWork
    {
        private const string CmdletName = "New-CassetteTrack";
        private readonly TrackGeneration _generation;
        private readonly bool _submitOnly;

        public TrackJobWork(TrackGeneration generation, FalModelId model, Uri queueUrl, bool submitOnly)
        {
            _generation = generation;
            _submitOnly = submitOnly;
            Location = queueUrl.Authority;
            string modelPart = string.Equals(model.FullId, FalModelId.MusicGenerator, StringComparison.OrdinalIgnoreCase) ? "" : $" -Model {model.FullId}";
            Command = $"{CmdletName} -Prompt '{generation.Prompt.Replace("'", "''")}' -Duration {generation.Duration}{modelPart}{(submitOnly ? " -NoWait" : "")}";
        }

        public string Command { get; }
        public string CommandName => CmdletName;
        public string Location { get; }
        public object? FailureTarget => (object?)_generation.Job ?? _generation.Prompt;

        public async Task<object> RunAsync(IGenerationSink sink, CancellationToken cancellationToken) =>
            _submitOnly
                ? await _generation.SubmitAsync(sink, cancellationToken).ConfigureAwait(false)
                : (object)await _generation.RunAsync(sink, cancellationToken).ConfigureAwait(false);

        public ErrorRecord ToJobErrorRecord(Exception failure) =>
            JobErrorRecord.Create(failure, FailureTarget, typeof(NewCassetteTrackCommand), CmdletName);
    }
}
