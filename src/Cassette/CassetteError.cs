using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace Cassette
{
    /// <summary>
    /// One entry of the error catalogue: the stable ErrorId scripts match on, the category of its error record, what
    /// it means (the line about_Cassette shows) and what the user can do about it. Entries exist only in CassetteErrors.
    /// </summary>
    public sealed class CassetteError
    {
        internal CassetteError(string id, ErrorCategory category, string meaning, string? recommendedAction = null)
        {
            Id = id;
            Category = category;
            Meaning = meaning;
            RecommendedAction = recommendedAction;
        }

        /// <summary>The ErrorId: the part of FullyQualifiedErrorId before the first comma.</summary>
        public string Id { get; }
        public ErrorCategory Category { get; }
        /// <summary>When the error is raised, in one line.</summary>
        public string Meaning { get; }
        /// <summary>What to do about it, when there is something general to say.</summary>
        public string? RecommendedAction { get; }

        public override string ToString() => Id;
    }

    /// <summary>
    /// The error catalogue: every error the module raises is one of these. about_Cassette's list is generated from it
    /// at build time (build/New-CassetteHelp.ps1), and a test checks that each entry is raised by some test.
    /// </summary>
    public static class CassetteErrors
    {
        private const string Transient = "Try again later, or raise -MaxRetryCount.";

        public static readonly CassetteError ApiKeyMissing = new CassetteError(nameof(ApiKeyMissing), ErrorCategory.AuthenticationError,
            "no key in -ApiKey or the environment",
            "Pass -ApiKey, or set the FAL_KEY environment variable (or FAL_KEY_ID and FAL_KEY_SECRET).");
        public static readonly CassetteError Unauthorized = new CassetteError(nameof(Unauthorized), ErrorCategory.AuthenticationError,
            "the queue refused the key (401/403)",
            "Pass a valid key with -ApiKey, or set the FAL_KEY environment variable (or FAL_KEY_ID and FAL_KEY_SECRET).");
        public static readonly CassetteError AccountLocked = new CassetteError(nameof(AccountLocked), ErrorCategory.PermissionDenied,
            "fal's 403: the account is locked because its balance is exhausted",
            "Top up the balance at https://fal.ai/dashboard/billing, then submit again; requests already queued still answer.");
        public static readonly CassetteError InvalidApiKey = new CassetteError(nameof(InvalidApiKey), ErrorCategory.InvalidArgument,
            "a key with a line break, another control character or non-ASCII text",
            "Copy the key again without line breaks or spaces inside it; fal's keys are printable ASCII.");
        public static readonly CassetteError AllowUnencryptedAuthenticationRequired = new CassetteError(nameof(AllowUnencryptedAuthenticationRequired),
            ErrorCategory.SecurityError, "the key would cross the network over plain http",
            "Use https, or pass -AllowUnencryptedAuthentication if you accept that risk.");
        public static readonly CassetteError InvalidQueueUrl = new CassetteError(nameof(InvalidQueueUrl), ErrorCategory.InvalidArgument,
            "not an absolute http(s) address");
        public static readonly CassetteError InvalidModel = new CassetteError(nameof(InvalidModel), ErrorCategory.InvalidArgument,
            "not [workflows/ or comfy/]owner/app[/path]");
        public static readonly CassetteError DurationOutOfRange = new CassetteError(nameof(DurationOutOfRange), ErrorCategory.InvalidArgument,
            "-Duration outside the model's range (music 10 to 180 s, sound effects 1 to 30 s); nothing is sent",
            "Pass a -Duration in the model's range.");
        public static readonly CassetteError AsJobWithConfirm = new CassetteError(nameof(AsJobWithConfirm), ErrorCategory.InvalidArgument,
            "-AsJob and -Confirm together");
        public static readonly CassetteError NoWaitConflict = new CassetteError(nameof(NoWaitConflict), ErrorCategory.InvalidArgument,
            "-NoWait with -AsJob, -JobName or -TimeoutSec",
            "Leave out -NoWait to wait for the tracks, or collect the queued requests later with Get-CassetteJob -Wait (which takes -TimeoutSec).");
        public static readonly CassetteError ValidationFailed = new CassetteError(nameof(ValidationFailed), ErrorCategory.InvalidArgument,
            "fal's 422; the message names the parameter");
        public static readonly CassetteError ModelNotFound = new CassetteError(nameof(ModelNotFound), ErrorCategory.ObjectNotFound,
            "the queue has no such model", "Check -Model and -QueueUrl.");
        public static readonly CassetteError RequestNotFound = new CassetteError(nameof(RequestNotFound), ErrorCategory.ObjectNotFound,
            "the queue has no such request", "fal keeps results for a limited time; check the request id, -Model and -QueueUrl.");
        public static readonly CassetteError RateLimited = new CassetteError(nameof(RateLimited), ErrorCategory.LimitsExceeded,
            "429 after every retry", "Wait and try again, or raise -MaxRetryCount.");
        public static readonly CassetteError QueueUnavailable = new CassetteError(nameof(QueueUnavailable), ErrorCategory.ResourceUnavailable,
            "408/502/503/504 after every retry", Transient);
        public static readonly CassetteError ServerError = new CassetteError(nameof(ServerError), ErrorCategory.InvalidResult,
            "another 5xx answer");
        public static readonly CassetteError RequestRejected = new CassetteError(nameof(RequestRejected), ErrorCategory.InvalidOperation,
            "another 4xx answer");
        public static readonly CassetteError InvalidResponse = new CassetteError(nameof(InvalidResponse), ErrorCategory.ProtocolError,
            "an answer that is not what fal sends");
        public static readonly CassetteError ConnectionFailed = new CassetteError(nameof(ConnectionFailed), ErrorCategory.ConnectionError,
            "the queue could not be reached, or the connection broke",
            "Check -QueueUrl and the network; -MaxRetryCount sets how often transient failures are retried.");
        public static readonly CassetteError SubmissionOutcomeUnknown = new CassetteError(nameof(SubmissionOutcomeUnknown), ErrorCategory.ConnectionError,
            "the connection broke, or -TimeoutSec passed, after a submission was sent; its id is unknown and it was not resent",
            "Check the request history on your fal dashboard before submitting it again.");
        public static readonly CassetteError Timeout = new CassetteError(nameof(Timeout), ErrorCategory.OperationTimeout,
            "-TimeoutSec passed");
        public static readonly CassetteError CancelTimedOut = new CassetteError(nameof(CancelTimedOut), ErrorCategory.OperationTimeout,
            "Stop-CassetteJob -TimeoutSec passed with the cancel unanswered; it may not have reached fal",
            "Run Stop-CassetteJob again for the request id in the message; Get-CassetteJob -RequestId shows whether the request still runs.");
        public static readonly CassetteError StartTimeoutExpired = new CassetteError(nameof(StartTimeoutExpired), ErrorCategory.OperationTimeout,
            "-StartTimeoutSec passed before the request started", "Raise -StartTimeoutSec or try again later.");
        public static readonly CassetteError RequestCancelled = new CassetteError(nameof(RequestCancelled), ErrorCategory.OperationStopped,
            "the request was cancelled");
        public static readonly CassetteError GenerationFailed = new CassetteError(nameof(GenerationFailed), ErrorCategory.InvalidResult,
            "the request completed with an error");
        public static readonly CassetteError MaxCostExceeded = new CassetteError(nameof(MaxCostExceeded), ErrorCategory.LimitsExceeded,
            "the item would pass New-CassetteTrack -MaxCost; it was not submitted",
            "Raise -MaxCost, or run again with the same -BatchName: items already paid for cost nothing.");
        public static readonly CassetteError FileExists = new CassetteError(nameof(FileExists), ErrorCategory.ResourceExists,
            "Save-CassetteAudio without -Force", "Add -Force to replace it, or choose another -Path.");
        public static readonly CassetteError DirectoryNotFound = new CassetteError(nameof(DirectoryNotFound), ErrorCategory.ObjectNotFound,
            "the target folder does not exist");
        public static readonly CassetteError DriveNotFound = new CassetteError(nameof(DriveNotFound), ErrorCategory.ObjectNotFound,
            "the target path is on a drive that does not exist", "Get-PSDrive lists the drives there are.");
        public static readonly CassetteError NotAFileSystemPath = new CassetteError(nameof(NotAFileSystemPath), ErrorCategory.InvalidArgument,
            "a path on another provider");
        public static readonly CassetteError AmbiguousPath = new CassetteError(nameof(AmbiguousPath), ErrorCategory.InvalidArgument,
            "a wildcard -Path matched more than one item");
        public static readonly CassetteError InvalidUrl = new CassetteError(nameof(InvalidUrl), ErrorCategory.InvalidArgument,
            "Save-CassetteAudio got text that is not a url");
        public static readonly CassetteError NotARegularFile = new CassetteError(nameof(NotARegularFile), ErrorCategory.InvalidOperation,
            "the destination is a FIFO, socket or device; never replaced, even with -Force",
            "Save to a regular file or a folder.");
        public static readonly CassetteError UnsupportedUrlScheme = new CassetteError(nameof(UnsupportedUrlScheme), ErrorCategory.InvalidArgument,
            "not an http or https url");
        public static readonly CassetteError UnsupportedInput = new CassetteError(nameof(UnsupportedInput), ErrorCategory.InvalidArgument,
            "Save-CassetteAudio got an object that is no track, request or url");
        public static readonly CassetteError DownloadFailed = new CassetteError(nameof(DownloadFailed), ErrorCategory.ReadError,
            "the file host refused or broke off, after every retry");
        public static readonly CassetteError DownloadIncomplete = new CassetteError(nameof(DownloadIncomplete), ErrorCategory.ReadError,
            "fewer bytes than announced, after every retry");
        public static readonly CassetteError DownloadStalled = new CassetteError(nameof(DownloadStalled), ErrorCategory.OperationTimeout,
            "the file host went silent, after every retry");
        public static readonly CassetteError AudioTooLarge = new CassetteError(nameof(AudioTooLarge), ErrorCategory.InvalidData,
            "more than 64 MB announced or sent");
        public static readonly CassetteError InvalidAudio = new CassetteError(nameof(InvalidAudio), ErrorCategory.InvalidData,
            "not a complete PCM WAV file");
        public static readonly CassetteError FileError = new CassetteError(nameof(FileError), ErrorCategory.WriteError,
            "the audio file could not be written");
        public static readonly CassetteError AccessDenied = new CassetteError(nameof(AccessDenied), ErrorCategory.PermissionDenied,
            "no permission to write the audio file or its folder");
        public static readonly CassetteError JournalUnavailable = new CassetteError(nameof(JournalUnavailable), ErrorCategory.ReadError,
            "the journal could not be read or written");
        public static readonly CassetteError InvalidJournalPath = new CassetteError(nameof(InvalidJournalPath), ErrorCategory.InvalidArgument,
            "the journal path names a folder", "Give -JournalPath or CASSETTE_JOURNAL_PATH a file path, such as ./journal.jsonl.");
        public static readonly CassetteError UnexpectedError = new CassetteError(nameof(UnexpectedError), ErrorCategory.NotSpecified,
            "a bug in Cassette",
            "This is a bug in Cassette. Please report it with the output of Get-Error and $PSVersionTable (remove your API key if you pasted one) " +
            "at the project's issue tracker.");

        private static readonly Lazy<IReadOnlyList<CassetteError>> Entries = new Lazy<IReadOnlyList<CassetteError>>(() =>
            typeof(CassetteErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.FieldType == typeof(CassetteError))
                .Select(f => (CassetteError)f.GetValue(null))
                .ToArray());

        /// <summary>Every entry, in the order they are declared.</summary>
        public static IReadOnlyList<CassetteError> All => Entries.Value;
    }
}
