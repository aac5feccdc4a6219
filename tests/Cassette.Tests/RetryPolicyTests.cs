using System.Net;
using System.Net.Sockets;
using Cassette.Http;
using Cassette.Protocol;

namespace Cassette.Tests;

public class RetryPolicyTests
{
    private static readonly Uri Queue = new("http://queue.test/");
    private static readonly FalModelId Model = FalModelId.Parse(FalModelId.MusicGenerator);

    private static (FalQueueClient Client, FakeHandler Handler, List<TimeSpan> Delays) Client(int maxRetries, Func<HttpRequestMessage, int, HttpResponseMessage> answer)
    {
        var delays = new List<TimeSpan>();
        var handler = new FakeHandler(answer);
        var policy = new RetryPolicy(maxRetries, delay: (d, _) => { delays.Add(d); return Task.CompletedTask; }, random: new Random(1));
        return (new FalQueueClient(new HttpClient(handler), Queue, FalApiKey.Resolve("id:secret"), policy), handler, delays);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.Conflict)]
    public async Task TransientAnswersAreRetriedUntilTheyPass(HttpStatusCode transient)
    {
        var (client, handler, delays) = Client(3, (_, n) => n < 3 ? FakeHandler.Json(transient, "{}") : FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("IN_PROGRESS")));
        var status = await client.GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None);
        Assert.Equal("IN_PROGRESS", status.Status);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public async Task MaxRetryCountIsHonouredAndTheLastAnswerReported()
    {
        var (client, handler, _) = Client(2, (_, _) => FakeHandler.Json(HttpStatusCode.ServiceUnavailable, "{\"detail\":\"busy\",\"error_type\":\"runner_scheduling_failure\"}"));
        var error = await Assert.ThrowsAsync<FalApiException>(() => client.GetResultAsync(Model, "req-1", null, null, CancellationToken.None));
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("runner_scheduling_failure", error.ErrorType);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task OtherErrorsAreNeverRetried(HttpStatusCode code)
    {
        var (client, handler, delays) = Client(5, (_, _) => FakeHandler.Json(code, "{\"detail\":\"no\"}"));
        await Assert.ThrowsAsync<FalApiException>(() => client.GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None));
        Assert.Single(handler.Requests);
        Assert.Empty(delays);
    }

    private static HttpResponseMessage WithHeaders(HttpResponseMessage response, params (string Name, string Value)[] headers)
    {
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    [Fact]
    public async Task StatusReadsRetryA500FiveTimesAsFalJsDoes()
    {
        var (client, handler, _) = Client(3, (_, _) => FakeHandler.Json(HttpStatusCode.InternalServerError, "{\"detail\":\"oops\"}"));
        await Assert.ThrowsAsync<FalApiException>(() => client.GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None));
        Assert.Equal(6, handler.Requests.Count);
    }

    [Fact]
    public async Task ResultReadsRetryA500WithinMaxRetryCount()
    {
        var (client, handler, _) = Client(3, (_, n) => n < 3 ? FakeHandler.Json(HttpStatusCode.InternalServerError, "{}") : FakeHandler.Json(HttpStatusCode.OK, "{\"audio_file\":{\"url\":\"http://cdn.test/a.wav\"}}"));
        using var result = await client.GetResultAsync(Model, "req-1", null, null, CancellationToken.None);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task ASubmissionAnswered500IsNotRetried()
    {
        var (client, handler, _) = Client(5, (_, _) => FakeHandler.Json(HttpStatusCode.InternalServerError, "{}"));
        await Assert.ThrowsAsync<FalApiException>(() => client.SubmitAsync(Model, new Dictionary<string, object?>(), new SubmitOptions(null, null, QueuePriority.Normal), null, CancellationToken.None));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task AGateway503ThatCarriesTheRequestIdAndNoErrorTypeIsTheModelsAnswer()
    {
        var (client, handler, _) = Client(5, (_, _) => WithHeaders(FakeHandler.Json(HttpStatusCode.ServiceUnavailable, "{\"detail\":\"busy\"}"), ("X-Fal-Request-Id", "req-1")));
        var error = await Assert.ThrowsAsync<FalApiException>(() => client.GetResultAsync(Model, "req-1", null, null, CancellationToken.None));
        Assert.Single(handler.Requests);
        Assert.False(error.IsGatewayTrouble);
    }

    [Theory]
    [InlineData("<html><center>nginx</center></html>", null, null)]
    [InlineData("{}", "runner_disconnected", null)]
    [InlineData("{}", null, "true")]
    public async Task AGateway502FromTheIngressOrARunnerOrMarkedRetryableIsRetried(string body, string? errorType, string? retryable)
    {
        var (client, handler, _) = Client(2, (_, _) =>
        {
            var response = WithHeaders(FakeHandler.Json(HttpStatusCode.BadGateway, body), ("X-Fal-Request-Id", "req-1"));
            if (errorType != null) response.Headers.Add("X-Fal-Error-Type", errorType);
            if (retryable != null) response.Headers.Add("X-Fal-Retryable", retryable);
            return response;
        });
        var error = await Assert.ThrowsAsync<FalApiException>(() => client.GetResultAsync(Model, "req-1", null, null, CancellationToken.None));
        Assert.Equal(3, handler.Requests.Count);
        Assert.True(error.IsGatewayTrouble);
    }

    [Fact]
    public async Task XFalRetryableFalseIsBelievedEvenFromTheIngress()
    {
        var (client, handler, _) = Client(5, (_, _) => WithHeaders(FakeHandler.Json(HttpStatusCode.ServiceUnavailable, "{}"), ("X-Fal-Retryable", "false")));
        var error = await Assert.ThrowsAsync<FalApiException>(() => client.GetResultAsync(Model, "req-1", null, null, CancellationToken.None));
        Assert.Single(handler.Requests);
        Assert.False(error.Retryable);
    }

    [Fact]
    public async Task ASubmissionAnswered504WithARequestIdIsNotSentAgain()
    {
        var (client, handler, _) = Client(5, (_, _) =>
            WithHeaders(FakeHandler.Json(HttpStatusCode.GatewayTimeout, "{\"detail\":\"slow\"}"), ("X-Fal-Request-Id", "req-9"), ("X-Fal-Error-Type", "startup_timeout")));
        var error = await Assert.ThrowsAsync<CassetteException>(() => client.SubmitAsync(Model, new Dictionary<string, object?>(), new SubmitOptions(null, null, QueuePriority.Normal), null, CancellationToken.None));
        Assert.Single(handler.Requests);
        Assert.Same(CassetteErrors.SubmissionOutcomeUnknown, error.Error);
        Assert.Equal("req-9", error.RequestId);
    }

    [Fact]
    public async Task A504ForTheUsersOwnStartDeadlineIsNotRetried()
    {
        var (client, handler, _) = Client(5, (_, _) =>
        {
            var response = FakeHandler.Json(HttpStatusCode.GatewayTimeout, "{\"detail\":\"Request timed out\",\"error_type\":\"request_timeout\"}");
            response.Headers.Add("X-Fal-Request-Timeout-Type", "user");
            return response;
        });
        var error = await Assert.ThrowsAsync<FalApiException>(() => client.GetResultAsync(Model, "req-1", null, null, CancellationToken.None));
        Assert.Single(handler.Requests);
        Assert.True(error.IsStartTimeout);
        var record = Cassette.Errors.ErrorRecords.From(error, "req-1");
        Assert.Equal("StartTimeoutExpired", record.FullyQualifiedErrorId);
    }

    [Fact]
    public async Task RetryAfterInSecondsIsWaitedExactly()
    {
        var (client, _, delays) = Client(3, (_, n) =>
        {
            if (n > 1) return FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("IN_QUEUE"));
            var response = FakeHandler.Json(HttpStatusCode.TooManyRequests, "{}");
            response.Headers.TryAddWithoutValidation("Retry-After", "7");
            return response;
        });
        await client.GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(delays));
    }

    // Replays fuzz case 47917535753507 (master seed 47917392): Stop-CassetteJob -MaxRetryCount 1 met a cancel answered 408 with
    // Retry-After "99999999999999999999", waited the 120 s cap, and hung past its 40 s bound. A pause longer than any backoff
    // is reported, not waited on, for the cancel and for the status read (which retries at least 5 times).
    [Theory]
    [InlineData("99999999999999999999", HttpStatusCode.RequestTimeout)]
    [InlineData("31", HttpStatusCode.TooManyRequests)]
    [InlineData("120", HttpStatusCode.ServiceUnavailable)]
    public async Task ACancelIsNotHeldUpByARetryAfterLongerThanAnyBackoff(string retryAfter, HttpStatusCode code)
    {
        var (client, handler, delays) = Client(1, (_, _) => WithHeaders(FakeHandler.Json(code, "{}"), ("Retry-After", retryAfter)));
        var error = await Assert.ThrowsAsync<FalApiException>(() => client.CancelAsync(Model, "req-1", null, null, CancellationToken.None));
        Assert.Equal(code, error.StatusCode);
        Assert.Single(handler.Requests);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task AStatusReadIsNotHeldUpByARetryAfterLongerThanAnyBackoff()
    {
        var (client, handler, delays) = Client(1, (_, _) => WithHeaders(FakeHandler.Json(HttpStatusCode.TooManyRequests, "{}"), ("Retry-After", "99999999999999999999")));
        var error = await Assert.ThrowsAsync<FalApiException>(() => client.GetStatusAsync(Model, "req-1", null, false, null, CancellationToken.None));
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Single(handler.Requests);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task ARetryAfterUpToTheLongestBackoffIsStillWaited()
    {
        var (client, _, delays) = Client(1, (_, n) => n > 1
            ? FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("IN_QUEUE"))
            : WithHeaders(FakeHandler.Json(HttpStatusCode.TooManyRequests, "{}"), ("Retry-After", "30")));
        await client.GetStatusAsync(Model, "req-1", null, false, null, CancellationToken.None);
        Assert.Equal(RetryPolicy.DefaultMaxDelay, Assert.Single(delays));
    }

    [Fact]
    public void RetryAfterAsAnHttpDateIsTheTimeUntilThatDate()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", now.AddSeconds(30).ToString("r"));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.RetryAfter(response, now));
    }

    [Fact]
    public void BackoffDoublesWithJitterAndIsCapped()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), random: new Random(7));
        for (int attempt = 1; attempt <= 6; attempt++)
        {
            double nominal = Math.Min(Math.Pow(2, attempt - 1), 8);
            double actual = policy.DelayFor(attempt, (TimeSpan?)null).TotalSeconds;
            Assert.InRange(actual, nominal * 0.75, nominal * 1.25);
        }
    }

    [Fact]
    public async Task ASubmissionThatMayHaveReachedTheServerIsNotSentTwice()
    {
        var (client, handler, _) = Client(5, (_, _) => throw new HttpRequestException("The response ended prematurely.", new IOException("reset")));
        var error = await Assert.ThrowsAsync<CassetteException>(() =>
            client.SubmitAsync(Model, new Dictionary<string, object?> { ["prompt"] = "x", ["duration"] = 10 }, SubmitOptions.Default, null, CancellationToken.None));
        Assert.Single(handler.Requests);
        Assert.Equal("SubmissionOutcomeUnknown", error.ErrorId);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task ASubmissionWhoseConnectionWasRefusedIsTriedAgain()
    {
        var (client, handler, _) = Client(5, (_, n) => n == 1
            ? throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused))
            : FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("IN_QUEUE")));
        var status = await client.SubmitAsync(Model, new Dictionary<string, object?> { ["prompt"] = "x", ["duration"] = 10 }, SubmitOptions.Default, null, CancellationToken.None);
        Assert.Equal("req-1", status.RequestId);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task StatusReadsAreRetriedAfterADroppedConnection()
    {
        var (client, handler, _) = Client(5, (_, n) => n == 1
            ? throw new HttpRequestException("The response ended prematurely.", new IOException("reset"))
            : FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("IN_QUEUE")));
        await client.GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None);
        Assert.Equal(2, handler.Requests.Count);
    }
}
