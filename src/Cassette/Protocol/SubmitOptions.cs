using System;

namespace Cassette.Protocol
{
    /// <summary>fal's queue priorities (X-Fal-Queue-Priority).</summary>
    public enum QueuePriority
    {
        Normal,
        Low,
    }

    /// <summary>What a submission asks of the queue besides the model input: headers and the webhook.</summary>
    internal sealed class SubmitOptions
    {
        public static readonly SubmitOptions Default = new SubmitOptions(null, null, QueuePriority.Normal);

        public SubmitOptions(Uri? webhookUrl, int? startTimeoutSeconds, QueuePriority priority)
        {
            WebhookUrl = webhookUrl;
            StartTimeoutSeconds = startTimeoutSeconds;
            Priority = priority;
        }

        /// <summary>Sent as the fal_webhook query parameter: fal posts the result there when the request completes.</summary>
        public Uri? WebhookUrl { get; }

        /// <summary>Sent as X-Fal-Request-Timeout: how long the request may wait to start before fal gives up on it.</summary>
        public int? StartTimeoutSeconds { get; }

        /// <summary>Sent as X-Fal-Queue-Priority.</summary>
        public QueuePriority Priority { get; }
    }
}
