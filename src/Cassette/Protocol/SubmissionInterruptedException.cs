using System;
using System.Threading;

namespace Cassette.Protocol
{
    /// <summary>
    /// The caller's stop or deadline cut a submission off after its body may have reached the queue and before its answer
    /// came. It is still a cancellation (a stop stays a stop), but the queue may have accepted, and billed, a request whose
    /// id only that answer carried: whoever catches it must tell the user so (<see cref="Describe"/>).
    /// A stop before the body left is an ordinary OperationCanceledException: nothing reached fal.
    /// </summary>
    internal sealed class SubmissionInterruptedException : OperationCanceledException
    {
        public SubmissionInterruptedException(Uri queueUrl, Exception? failure, CancellationToken cancellationToken)
            : base($"The submission to {queueUrl.GetLeftPart(UriPartial.Authority)} was interrupted after it was sent.", failure, cancellationToken)
        {
            QueueUrl = queueUrl;
        }

        public Uri QueueUrl { get; }

        /// <summary>What the user must know, after <paramref name="reason"/> (what cut the submission off).</summary>
        public string Describe(string reason) =>
            $"The submission to {QueueUrl.GetLeftPart(UriPartial.Authority)} was sent, but {reason} before its answer arrived. The queue may have " +
            "accepted it and billed it, but its request id is unknown (fal sends the id only in that answer), so it cannot be followed or " +
            "cancelled from here. Check the request history on your fal dashboard (https://fal.ai/dashboard) before submitting it again.";
    }
}
