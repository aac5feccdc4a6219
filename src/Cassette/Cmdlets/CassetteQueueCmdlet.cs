using System;
using System.Management.Automation;
using Cassette.Http;
using Cassette.Journal;
using Cassette.Lifecycle;
using Cassette.Protocol;
using Cassette.Validation;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// The parameters of every cmdlet that talks to the queue: where it is, the key, how often to retry, and where the
    /// journal lives; and the one place they are resolved (parameter, else environment, else default).
    /// </summary>
    public abstract class CassetteQueueCmdlet : CassetteCmdlet
    {
        private FalApiKey? _key;
        private bool _keyResolved;
        private readonly System.Collections.Generic.HashSet<string> _warned = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);

        /// <summary>The fal API key: a string or a SecureString. Else FAL_KEY, else FAL_KEY_ID and FAL_KEY_SECRET.</summary>
        [Parameter]
        [ValidateApiKey]
        public object? ApiKey { get; set; }

        /// <summary>The queue's base address. Else CASSETTE_QUEUE_URL, else https://queue.fal.run.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateHttpUrl(AllowUserInfo = false)]
        public Uri? QueueUrl { get; set; }

        /// <summary>Retries of a queue call after a transient failure (429, 502-504, a dropped connection).</summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetryCount { get; set; } = RetryPolicy.DefaultMaxRetryCount;

        /// <summary>Seconds a queue call may wait for its answer, and a status stream or download may stay silent, before it counts as failed.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int ReadTimeoutSec { get; set; } = (int)FalQueueClient.DefaultReadTimeout.TotalSeconds;

        /// <summary>Sends the key over plain http to a host that is not this machine, which anyone on the network can read.</summary>
        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        /// <summary>The journal file. Else CASSETTE_JOURNAL_PATH, else the user's local application data folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        internal RequestJournal ResolveJournal()
        {
            string? path = JournalPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
            RequestJournal journal;
            try
            {
                journal = RequestJournal.Resolve(path);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is System.IO.PathTooLongException || ex is System.Security.SecurityException)
            {
                ThrowFailure(new CassetteException(CassetteErrors.JournalUnavailable, $"The journal path '{path}' cannot be used: {ex.Message}", null, ex), JournalPath);
                throw;
            }
            // Checked before anything is submitted: a folder would otherwise list nothing and record nothing, silently.
            if (System.IO.Directory.Exists(journal.Path))
                ThrowFailure(new CassetteException(CassetteErrors.InvalidJournalPath,
                    $"The journal '{journal.Path}' is a folder. Give -JournalPath or {RequestJournal.EnvironmentVariable} the path of a file, such as " +
                    $"{System.IO.Path.Combine(journal.Path!, "journal.jsonl")}."), JournalPath);
            return journal;
        }

        /// <summary>-QueueUrl, else the given fallback (a journal entry's), else CASSETTE_QUEUE_URL, else fal's queue.</summary>
        internal Uri ResolveQueueUrl(Uri? fallback = null)
        {
            try
            {
                return QueueAddress.Resolve(QueueUrl ?? fallback);
            }
            catch (ArgumentException ex)
            {
                ThrowFailure(new CassetteException(CassetteErrors.InvalidQueueUrl,
                    ex.Message + $" Pass -QueueUrl or set {QueueAddress.EnvironmentVariable}.", null, ex), QueueUrl);
                throw;
            }
        }

        /// <summary>The key, resolved once per invocation; a missing key stops the command before any request is sent.</summary>
        internal FalApiKey ResolveKey()
        {
            if (!_keyResolved)
            {
                try
                {
                    _key = FalApiKey.Resolve(ApiKey is PSObject wrapped ? wrapped.BaseObject : ApiKey);
                }
                catch (CassetteException invalid)
                {
                    ThrowFailure(invalid, null);
                }
                _keyResolved = true;
            }
            if (_key is null)
            {
                // Read-Host -AsSecureString works in Windows PowerShell 5.1 too, which has no -MaskInput.
                ThrowFailure(new CassetteException(CassetteErrors.ApiKeyMissing,
                    "No fal API key was given. Pass -ApiKey, or set the FAL_KEY environment variable (or FAL_KEY_ID and FAL_KEY_SECRET).", null, null,
                    "Give this session's Cassette commands the key: $PSDefaultParameterValues['*-Cassette*:ApiKey'] = Read-Host -AsSecureString 'fal key'"), null);
            }
            return _key!;
        }

        /// <summary>
        /// A request named by id: its model and queue from the parameters, else from its journal entry, else the
        /// defaults; what the journal knows of its submission is kept.
        /// </summary>
        internal CassetteRequest ResolveRequest(string requestId, string? model, RequestJournal journal)
        {
            CassetteRequest? known = null;
            try
            {
                known = journal.Find(requestId, WarnOnce);
            }
            catch (CassetteException ex) when (ex.Error == CassetteErrors.JournalUnavailable)
            {
                WriteWarning(ex.Message);
            }
            var modelId = ParseModel(model ?? known?.Model ?? FalModelId.MusicGenerator, requestId);
            var queueUrl = ResolveQueueUrl(known?.QueueUrl);
            return known is null ? RequestSnapshots.Unknown(requestId, modelId, queueUrl) : RequestSnapshots.Rebase(known, modelId, queueUrl);
        }

        /// <summary>A client for the queue, once the key may go there: never over plain http to another machine unless the user said so.</summary>
        internal FalQueueClient CreateClient(Uri queueUrl)
        {
            var key = ResolveKey();
            if (!TransportSecurity.MaySendKey(queueUrl, AllowUnencryptedAuthentication))
            {
                ThrowFailure(new CassetteException(CassetteErrors.AllowUnencryptedAuthenticationRequired,
                    $"The queue address {queueUrl.GetLeftPart(UriPartial.Authority)} uses plain http to another machine, so the API key would cross " +
                    "the network unencrypted. Use https, or pass -AllowUnencryptedAuthentication if you accept that risk. Nothing was sent."), queueUrl);
            }
            return new FalQueueClient(HttpClients.Queue, queueUrl, key, new RetryPolicy(MaxRetryCount)) { ReadTimeout = ReadTimeout };
        }

        /// <summary>The lifecycle of requests at a queue, captured here on the pipeline thread: client, key, retries, journal.</summary>
        internal RequestLifecycle CreateLifecycle(Uri queueUrl, RequestJournal journal) => new RequestLifecycle(CreateClient(queueUrl), journal);

        internal TimeSpan ReadTimeout => TimeSpan.FromSeconds(ReadTimeoutSec);

        /// <summary>A warning written once per invocation: a bad journal line is read again for every piped request.</summary>
        internal void WarnOnce(string message)
        {
            if (_warned.Add(message)) WriteWarning(message);
        }

        internal FalModelId ParseModel(string model, object? target)
        {
            try
            {
                return FalModelId.Parse(model);
            }
            catch (ArgumentException ex)
            {
                ThrowFailure(new CassetteException(CassetteErrors.InvalidModel,
                    $"-Model '{model}' is not a fal model id of the form owner/app[/path], such as {FalModelId.MusicGenerator}.", null, ex), target ?? model);
                throw;
            }
        }
    }
}
