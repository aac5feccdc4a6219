using System.Net;
using Cassette.Http;
using Cassette.Errors;
using Cassette.Protocol;

namespace Cassette.Tests;

/// <summary>Answers that must end in a clear error or a retry, never in a wait without end.</summary>
public class QueueClientFaultTests
{
    private static readonly Uri Queue = TestQueueClient.Queue;
    private static readonly FalModelId Model = FalModelId.Parse(FalModelId.MusicGenerator);

    private static FalQueueClient Client(HttpMessageHandler handler, TimeSpan? readTimeout = null) =>
        TestQueueClient.Create(handler, retries: 2, readTimeout);

    [Theory]
    [InlineData("EXPLODED")]
    [InlineData("FAILED")]
    [InlineData("in_progress")]
    public async Task AnUnknownStatusIsReportedNotWaitedOn(string status)
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status(status)));
        var error = await Assert.ThrowsAsync<FalApiException>(() => Client(handler).GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None));
        Assert.Contains(status, error.Message);
        Assert.Equal("req-1", error.RequestId);
        Assert.Equal("InvalidResponse", ErrorRecords.From(error, null).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task AnAnswerSlowerThanTheReadTimeoutIsRetried()
    {
        int calls = 0;
        var handler = new AsyncHandler(async (_, token) =>
        {
            if (Interlocked.Increment(ref calls) == 1) await Task.Delay(Timeout.Infinite, token);
            return FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("IN_QUEUE"));
        });
        var messages = new List<string>();
        var status = await Client(handler, TimeSpan.FromMilliseconds(200)).GetStatusAsync(Model, "req-1", null, true, messages.Add, CancellationToken.None);
        Assert.Equal("IN_QUEUE", status.Status);
        Assert.Equal(2, calls);
        // A status read gets at least fal-js's 5 retries.
        Assert.Contains(messages, m => m.Contains("no answer within") && m.Contains("retry 1 of 5"));
    }

    [Fact]
    public async Task ASubmissionWithoutAnAnswerIsNotSentAgain()
    {
        int calls = 0;
        var handler = new AsyncHandler(async (_, token) =>
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var error = await Assert.ThrowsAsync<CassetteException>(() => Client(handler, TimeSpan.FromMilliseconds(200))
            .SubmitAsync(Model, new Dictionary<string, object?> { ["prompt"] = "x", ["duration"] = 10 }, SubmitOptions.Default, null, CancellationToken.None));
        Assert.Equal("SubmissionOutcomeUnknown", error.ErrorId);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void ARecoverableFailureNamesTheRequestAndHowToFinishIt()
    {
        var job = new CassetteRequest("req-42", FalModelId.MusicGenerator, Queue, status: CassetteRequest.InProgress, prompt: "p", duration: 10);
        var record = ErrorRecords.From(new CassetteException(CassetteErrors.ConnectionFailed, "Connection refused", "req-42", new HttpRequestException("Connection refused")), job);
        Assert.Equal("ConnectionFailed", record.FullyQualifiedErrorId);
        Assert.Contains("req-42", record.ErrorDetails.Message);
        Assert.Contains("Get-CassetteJob -RequestId req-42 -Wait | Save-CassetteAudio", record.ErrorDetails.RecommendedAction);
        Assert.Same(job, record.TargetObject);
    }

    [Fact]
    public async Task AStatusStreamErrorWhoseBodyStallsEndsWithinTheReadTimeout()
    {
        // A 503 to the status stream whose body never comes: it used to be read without any deadline, so the wait hung
        // for ever when the command had no -TimeoutSec.
        var handler = new AsyncHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StreamContent(new StallsUntilClosed()) }));
        var streaming = Client(handler, TimeSpan.FromMilliseconds(200)).StreamStatusAsync(Model, "req-1", null, _ => { }, null, CancellationToken.None);
        // Only a guard against the hang itself; the call ends after its three 200 ms attempts.
        Assert.Same(streaming, await Task.WhenAny(streaming, Task.Delay(TimeSpan.FromSeconds(60))));
        var error = await Assert.ThrowsAsync<CassetteException>(() => streaming);
        Assert.Equal("ConnectionFailed", ErrorRecords.From(error, null).FullyQualifiedErrorId);
    }

    /// <summary>A body that sends nothing, as a connection that stalled: only closing it (disposing the response) ends a read.</summary>
    private sealed class StallsUntilClosed : AsyncReadStream
    {
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            await _closed.Task.WaitAsync(cancellationToken);
            throw new IOException("Unable to read data from the transport connection: the connection was closed.");
        }

        protected override void Dispose(bool disposing)
        {
            _closed.TrySetResult();
            base.Dispose(disposing);
        }
    }

    private sealed class AsyncHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request, cancellationToken);
    }
}
