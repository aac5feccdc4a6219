using Cassette.Http;
using Cassette.Protocol;

namespace Cassette.Tests;

/// <summary>The queue client the unit tests build over a fake handler: a queue at http://queue.test/, a key, and retries that do not wait.</summary>
internal static class TestQueueClient
{
    public static readonly Uri Queue = new("http://queue.test/");

    public static FalQueueClient Create(HttpMessageHandler handler, int retries = 0, TimeSpan? readTimeout = null) =>
        new(new HttpClient(handler), Queue, FalApiKey.Resolve("id:secret"), new RetryPolicy(retries, delay: (_, _) => Task.CompletedTask))
        {
            ReadTimeout = readTimeout ?? FalQueueClient.DefaultReadTimeout,
        };
}
