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
        var error = await Assert.ThrowsAsync<FalApiException>(() => client.GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None));
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("runner_scheduling_failure", error.ErrorType);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task OtherErrorsAreNeverRetried(HttpStatusCode code)
    {
        var (client, handler, delays) = Client(5, (_, _) => FakeHandler.Json(code, "{\"detail\":\"no\"}"));
        await Assert.ThrowsAsync<FalApiException>(() => client.GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None));
        Assert.Single(handler.Requests);
        Assert.Empty(delays);
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
