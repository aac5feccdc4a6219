using System;

namespace Cassette.Protocol
{
    /// <summary>Where the queue is: the -QueueUrl parameter, else CASSETTE_QUEUE_URL, else fal's own queue.</summary>
    internal static class QueueAddress
    {
        public const string EnvironmentVariable = "CASSETTE_QUEUE_URL";

        public static Uri Resolve(Uri? parameter)
        {
            string? text = parameter?.OriginalString;
            if (string.IsNullOrWhiteSpace(text)) text = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(text)) text = FalQueueClient.DefaultQueueUrl;
            if (!Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException($"The queue address '{text}' is not an absolute http or https url.");
            // The message shows the address without what it must not carry: a password would otherwise be printed too.
            if (HttpUrls.HasUserInfo(uri))
                throw new ArgumentException($"The queue address {HttpUrls.Authority(uri)} carries a user name or password, which would be written " +
                    "to the journal and shown in every request object. Give the address without it; the fal key goes in -ApiKey or FAL_KEY.");
            // A trailing slash makes relative model paths resolve below the base instead of replacing its last segment.
            return uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
        }
    }
}
