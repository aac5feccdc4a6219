using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Download;
using Cassette.Http;
using Cassette.Lifecycle;
using Cassette.Protocol;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// Saves a track's WAV: from a track, from a request (waiting for it first), or from a url. Streams to a temporary
    /// file beside the target and renames it only once its length and WAV header check out; with -PassThru, writes what
    /// was saved. The destination comes first, as for Export-Csv and Out-File, and is checked in BeginProcessing, which
    /// runs before any command upstream (New-CassetteTrack) has submitted, so a folder that does not exist costs nothing.
    /// </summary>
    [Cmdlet(VerbsData.Save, "CassetteAudio", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CassetteAudioFile))]
    public sealed class SaveCassetteAudioCommand : CassetteQueueCmdlet
    {
        public const string PathSet = "Path";
        public const string LiteralPathSet = "LiteralPath";

        /// <summary>A CassetteTrack, a CassetteRequest (waited for), or an http(s) url as a string or Uri.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [Alias("Url", "Track")]
        [ValidateNotNull]
        public object InputObject { get; set; } = null!;

        /// <summary>A folder (the file name then comes from the prompt and request id) or a file name. Wildcards resolve to one existing folder.</summary>
        [Parameter(Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = ".";

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; } = null!;

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Leave a destination that already holds a complete WAV (of the expected size, when known) alone: no download starts.</summary>
        [Parameter]
        public SwitchParameter SkipExisting { get; set; }

        /// <summary>Write a CassetteAudioFile for each file saved; by default nothing is written, as for Invoke-WebRequest -OutFile.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private Target? _target;

        /// <summary>Where -Path or -LiteralPath points, resolved once: a folder (names come from the input) or a file.</summary>
        private sealed class Target
        {
            public Target(string given, string resolved, bool isFolder)
            {
                Given = given;
                Resolved = resolved;
                IsFolder = isFolder;
            }

            public string Given { get; }
            public string Resolved { get; }
            public bool IsFolder { get; }
            public string Folder => IsFolder ? Resolved : System.IO.Path.GetDirectoryName(Resolved) ?? Resolved;
        }

        protected override void Begin()
        {
            try
            {
                _target = ResolveTarget();
                if (!Directory.Exists(_target.Folder))
                {
                    throw new CassetteException(CassetteErrors.DirectoryNotFound,
                        $"The folder '{_target.Folder}' does not exist, so nothing was saved, and nothing piped to this command was submitted.", null, null,
                        $"Create it first: New-Item -ItemType Directory -Path '{_target.Folder.Replace("'", "''")}'");
                }
            }
            catch (CassetteException ex)
            {
                ThrowFailure(ex, ParameterSetName == LiteralPathSet ? LiteralPath : Path);
            }
        }

        /// <summary>Seconds the save may take in all, the wait for a running request and the download together (0: no limit).</summary>
        [Parameter]
        [ValidateRange(0, MaxTimeoutSec)]
        public int TimeoutSec { get; set; }

        protected override void ProcessRecord()
        {
            var input = InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject;
            object target = input;
            try
            {
                var (url, track, job) = Classify(input, InputObject);
                if (track != null && job is null && input is CassetteRequest listed) job = listed;
                target = (object?)track ?? (object?)job ?? url!;
                string? requestId = track?.RequestId ?? job?.RequestId;
                string destination = DestinationFor(track, job, url, requestId);
                // Never followed or written through: a FIFO or device is refused, a symlink counts as an existing file.
                var kind = UnixFileKind.Of(destination);
                if (kind == FileKind.Special)
                {
                    AudioDownloader.EnsureReplaceable(destination);
                }
                bool exists = kind == FileKind.Regular || kind == FileKind.SymbolicLink;
                if (kind == FileKind.Regular && SkipExisting)
                {
                    long? expectedSize = track?.FileSize;
                    string ofSize = expectedSize is null ? "" : $" of the expected {expectedSize} bytes";
                    if (ExistingAudio.ReadIfComplete(destination, expectedSize) is Audio.WavInfo existing)
                    {
                        WriteVerbose($"'{destination}' already holds a complete WAV{ofSize}; left alone (-SkipExisting), nothing downloaded.");
                        if (PassThru)
                        {
                            WriteObject(Describe(destination, existing, requestId, track?.Prompt ?? job?.Prompt));
                        }
                        return;
                    }
                    if (!Force && !IsWhatIf())
                    {
                        WriteFailure(new CassetteException(CassetteErrors.FileExists,
                            $"The file '{destination}' already exists and is not a complete WAV{ofSize}, so -SkipExisting does not take it for this track's audio.",
                            requestId), target);
                        return;
                    }
                }
                // -WhatIf says what would happen, even where the real run would stop at FileExists.
                if (exists && !Force && !IsWhatIf())
                {
                    WriteFailure(new CassetteException(CassetteErrors.FileExists, $"The file '{destination}' already exists.", requestId), target);
                    return;
                }
                string action = requestId is null ? $"Save audio from {url}" : $"Save audio of request {requestId}";
                if (exists) action += Force ? ", replacing the existing file" : " (the file exists: without -Force it is not replaced)";
                if (!ShouldProcess(destination, action) || (exists && !Force)) return;

                if (job != null && QueueUrl != null && !SameQueue(job.QueueUrl, QueueUrl))
                {
                    // The queue moved (an engine restarted on a new port): the urls the old address handed out are dead.
                    job = RequestSnapshots.Rebase(job, ParseModel(job.Model, job), ResolveQueueUrl());
                    track = null;
                }
                // -TimeoutSec is one deadline for the wait and the download together.
                var started = DateTime.UtcNow;
                if (track is null && job != null)
                {
                    var lifecycle = CreateLifecycle(ResolveQueueUrl(job.QueueUrl), ResolveJournal());
                    var timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;
                    var request = job;
                    track = Run((sink, token) => lifecycle.WaitForTrackAsync(request, timeout, sink, token));
                    target = track;
                }
                var audioUrl = track?.AudioUrl ?? url!;
                // A save killed mid-body (a runbook unloaded, a crash) left its temporary file; nothing else will remove it.
                StalePartials.Remove(destination, WriteVerbose);
                var saved = track;
                TimeSpan? left = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) - (DateTime.UtcNow - started) : (TimeSpan?)null;
                var info = Run((sink, token) => DownloadAsync(audioUrl, destination, saved, left, sink, token));
                if (PassThru)
                {
                    WriteObject(Describe(destination, info, track?.RequestId, track?.Prompt));
                }
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (Exception ex)
            {
                WriteFailure(ex, target);
            }
        }

        /// <summary>What -PassThru writes for a WAV on disk, saved now or left alone by -SkipExisting: its own header's facts.</summary>
        private static CassetteAudioFile Describe(string path, Audio.WavInfo wav, string? requestId, string? prompt) =>
            new CassetteAudioFile(path: path, size: new FileInfo(path).Length, duration: wav.DurationSeconds, sampleRate: wav.SampleRate,
                channels: wav.Channels, bitsPerSample: wav.BitsPerSample, requestId: requestId, prompt: prompt, sampleFormat: wav.SampleFormat);

        private async Task<Audio.WavInfo> DownloadAsync(Uri url, string destination, CassetteTrack? track, TimeSpan? left, IMessageSink sink, CancellationToken token)
        {
            int activityId = ActivityProgress.NewActivityId();
            string activity = $"Saving {System.IO.Path.GetFileName(destination)}";
            var started = DateTimeOffset.UtcNow;
            sink.Verbose($"Downloading {url.GetLeftPart(UriPartial.Path)} to {destination}.");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (left is TimeSpan remaining) deadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            try
            {
                return await new AudioDownloader(HttpClients.Downloads, new RetryPolicy(MaxRetryCount), ReadTimeout).DownloadAsync(url, destination, Force, track?.FileSize,
                    (done, total) => sink.Progress(new ActivityProgress(activityId, activity, ActivityPhase.Downloading, track?.RequestId, null, started, done, total)),
                    sink.Verbose, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !token.IsCancellationRequested)
            {
                throw new CassetteException(CassetteErrors.Timeout,
                    $"The save of {url.GetLeftPart(UriPartial.Path)} did not finish within {TimeoutSec} s (-TimeoutSec); nothing was saved.", track?.RequestId, ex);
            }
        }

        private static bool SameQueue(Uri known, Uri given) =>
            Uri.Compare(QueueAddress.Resolve(known), QueueAddress.Resolve(given), UriComponents.AbsoluteUri, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

        /// <summary>What was piped: a track, a request, or a url (live objects, or their deserialized form from a job).</summary>
        private static (Uri? Url, CassetteTrack? Track, CassetteRequest? Job) Classify(object input, object? original = null)
        {
            switch (input)
            {
                case CassetteTrack track: return (track.AudioUrl, track, null);
                case CassetteRequest job:
                    if (job.Status == CassetteRequest.Failed || job.Status == CassetteRequest.Cancelled)
                        throw new CassetteException(job.Status == CassetteRequest.Cancelled ? CassetteErrors.RequestCancelled : CassetteErrors.GenerationFailed,
                            $"Request {job.RequestId} {job.Status.ToLowerInvariant()} and has no audio{(job.Error is null ? "" : ": " + job.Error)}.", job.RequestId);
                    return (job.Track?.AudioUrl, job.Track, job.Track is null ? job : null);
                case Uri uri: return (CheckedUrl(uri.OriginalString), null, null);
                case string text: return (CheckedUrl(text), null, null);
                default:
                    // A deserialized object keeps its properties on the PSObject wrapper, not on its base object.
                    return FromProperties(original as PSObject ?? PSObject.AsPSObject(input));
            }
        }

        /// <summary>Deserialized tracks and jobs (Receive-Job from another process, Import-Clixml) carry the same properties.</summary>
        private static (Uri? Url, CassetteTrack? Track, CassetteRequest? Job) FromProperties(PSObject item)
        {
            string? Text(string name) => item.Properties[name]?.Value?.ToString();
            string? requestId = Text("RequestId");
            string? audio = Text("AudioUrl");
            if (audio != null && requestId != null)
            {
                var url = CheckedUrl(audio);
                int.TryParse(Text("Duration"), out int duration);
                Uri.TryCreate(Text("QueueUrl") ?? FalQueueClient.DefaultQueueUrl, UriKind.Absolute, out var queueUrl);
                long? size = long.TryParse(Text("FileSize"), out long s) ? s : (long?)null;
                return (url, new CassetteTrack(requestId: requestId, model: Text("Model") ?? FalModelId.MusicGenerator, prompt: Text("Prompt") ?? string.Empty,
                    duration: duration, audioUrl: url, contentType: Text("ContentType"), fileName: Text("FileName"), fileSize: size, inferenceTime: null,
                    estimatedCost: null, queueUrl: queueUrl ?? new Uri(FalQueueClient.DefaultQueueUrl)), null);
            }
            if (requestId != null && Uri.TryCreate(Text("QueueUrl"), UriKind.Absolute, out var queue))
            {
                int? duration = int.TryParse(Text("Duration"), out int d) ? d : (int?)null;
                var request = new CassetteRequest(requestId, Text("Model") ?? FalModelId.MusicGenerator, queue, status: Text("Status") ?? CassetteRequest.InQueue,
                    prompt: Text("Prompt"), duration: duration, error: Text("Error"), errorType: Text("ErrorType"));
                return Classify(request);
            }
            if (audio != null) return (CheckedUrl(audio), null, null);
            throw new CassetteException(CassetteErrors.UnsupportedInput,
                $"Save-CassetteAudio takes a CassetteTrack, a CassetteRequest or an http(s) url, not a {item.BaseObject?.GetType().Name ?? "null"}.");
        }

        private static Uri CheckedUrl(string text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
                throw new CassetteException(CassetteErrors.InvalidUrl, $"'{text}' is not an absolute url.");
            if (!AudioDownloader.IsAllowedScheme(url))
                throw new CassetteException(CassetteErrors.UnsupportedUrlScheme, $"Only http and https audio urls are downloaded, not '{url.Scheme}'.");
            return url;
        }

        /// <summary>-Path or -LiteralPath resolved through the provider: a folder when it exists as one or ends with a separator.</summary>
        private Target ResolveTarget()
        {
            string given = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
            string resolved;
            ProviderInfo provider;
            try
            {
                if (ParameterSetName == PathSet && WildcardPattern.ContainsWildcardCharacters(given))
                {
                    var matches = GetResolvedProviderPathFromPSPath(given, out provider);
                    if (matches.Count > 1)
                        throw new CassetteException(CassetteErrors.AmbiguousPath,
                            $"-Path '{given}' matches {matches.Count} items; it must name one folder or file. Wildcard characters ([ ] * ?) are patterns in " +
                            "-Path; use -LiteralPath to name a file that contains them.");
                    // A pattern that matches nothing names a new file, taken as written, as Out-File and Export-Csv do.
                    resolved = matches.Count == 1 ? matches[0] : SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out provider, out _);
                }
                else
                {
                    resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out provider, out _);
                }
            }
            catch (ItemNotFoundException ex)
            {
                throw new CassetteException(CassetteErrors.AmbiguousPath,
                    $"-Path '{given}' matches no item; it must name one folder or file. Use -LiteralPath to name a file whose name has wildcard characters.", null, ex);
            }
            catch (System.Management.Automation.DriveNotFoundException ex)
            {
                throw new CassetteException(CassetteErrors.DriveNotFound, $"'{given}' is on the drive '{ex.ItemName}', which does not exist.", null, ex);
            }
            catch (SessionStateException ex)
            {
                // A provider that does not exist: not a file system path anyone can save to.
                throw new CassetteException(CassetteErrors.NotAFileSystemPath, $"'{given}' is not a file system path: {ex.Message}", null, ex);
            }
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                throw new CassetteException(CassetteErrors.NotAFileSystemPath, $"'{given}' is on the {provider.Name} provider; audio is saved to the file system.");
            bool folder = Directory.Exists(resolved) || given.EndsWith("/", StringComparison.Ordinal) || given.EndsWith("\\", StringComparison.Ordinal);
            return new Target(given, resolved, folder);
        }

        /// <summary>
        /// The file to write: in a folder, a safe name from the prompt and request id (or the url); else the file named.
        /// The folder is checked again, as it may have gone since BeginProcessing, and by then the request was paid for.
        /// </summary>
        private string DestinationFor(CassetteTrack? track, CassetteRequest? job, Uri? url, string? requestId)
        {
            var target = _target!;
            if (!Directory.Exists(target.Folder))
            {
                string action = requestId is null
                    ? $"Create it first: New-Item -ItemType Directory -Path '{target.Folder.Replace("'", "''")}'"
                    : $"Create the folder, then save the request: Get-CassetteJob -RequestId {requestId} -Wait | Save-CassetteAudio -Path '{target.Given.Replace("'", "''")}'";
                throw new CassetteException(CassetteErrors.DirectoryNotFound,
                    $"The folder '{target.Folder}' does not exist (any more){(requestId is null ? "" : $"; request {requestId} is kept in the journal")}.",
                    requestId, null, action);
            }
            if (!target.IsFolder) return target.Resolved;
            string name = track != null || job != null
                ? SafeFileName.ForTrack(track?.Prompt ?? job?.Prompt, requestId)
                : SafeFileName.ForUrl(url!);
            return System.IO.Path.Combine(target.Resolved, name);
        }
    }
}
