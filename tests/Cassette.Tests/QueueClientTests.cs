using System.Net;
using System.Text;
using Cassette.Http;
using Cassette.Lifecycle;
using Cassette.Journal;
using Cassette.Protocol;

namespace Cassette.Tests;

public class QueueClientTests
{
    private static readonly FalModelId Model = FalModelId.Parse(FalModelId.MusicGenerator);

    private static FalQueueClient Client(FakeHandler handler) =>
        TestQueueClient.Create(handler);

    [Fact]
    public async Task SubmitSendsTheInputPriorityStartTimeoutAndWebhook()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("IN_QUEUE")));
        var options = new SubmitOptions(new Uri("https://hooks.example.com/done?x=1&y=2"), 30, QueuePriority.Low);
        await Client(handler).SubmitAsync(Model, new Dictionary<string, object?> { ["prompt"] = "lo-fi", ["duration"] = 20 }, options, null, CancellationToken.None);

        var seen = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, seen.Method);
        Assert.Equal("/CassetteAI/music-generator", seen.Url.AbsolutePath);
        Assert.Equal("?fal_webhook=https%3A%2F%2Fhooks.example.com%2Fdone%3Fx%3D1%26y%3D2", seen.Url.Query);
        Assert.Equal("low", seen.Headers["X-Fal-Queue-Priority"]);
        Assert.Equal("30", seen.Headers["X-Fal-Request-Timeout"]);
        Assert.Equal("Key id:secret", seen.Headers["Authorization"]);
        Assert.Equal("{\"prompt\":\"lo-fi\",\"duration\":20}", seen.Body);
    }

    [Fact]
    public async Task TheKeyGoesOnlyToTheQueueHost()
    {
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.OK, "{\"audio_file\":{\"url\":\"https://cdn.test/a.wav\"}}"));
        using var _ = await Client(handler).GetResultAsync(Model, "req-1", new Uri("https://elsewhere.test/requests/req-1"), null, CancellationToken.None);
        Assert.False(Assert.Single(handler.Requests).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task A422IsMappedToTheParameterItConcerns()
    {
        const string body = "{\"detail\":[{\"loc\":[\"body\",\"duration\"],\"msg\":\"Input should be less than or equal to 180\",\"type\":\"less_than_equal\",\"ctx\":{\"le\":180},\"input\":181}]}";
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.UnprocessableEntity, body));
        var error = await Assert.ThrowsAsync<FalApiException>(() =>
            Client(handler).SubmitAsync(Model, new Dictionary<string, object?> { ["prompt"] = "x", ["duration"] = 181 }, SubmitOptions.Default, null, CancellationToken.None));
        var field = Assert.Single(error.FieldErrors);
        Assert.Equal("Duration", field.ParameterName);
        Assert.Equal("181", field.Input);

        var record = Cassette.Errors.ErrorRecords.From(error, "x");
        Assert.Equal("ValidationFailed", record.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.Contains("-Duration: Input should be less than or equal to 180", record.ErrorDetails.Message);
        Assert.Same(error, record.Exception);
    }

    [Fact]
    public async Task TheStatusStreamIsReadWithItsCommentsSkipped()
    {
        string events = ": ping\n\ndata: " + FakeHandler.Status("IN_QUEUE", extra: ",\"queue_position\":2") + "\n\n" +
                        "data: " + FakeHandler.Status("IN_PROGRESS") + "\n\n: ping\n\n" +
                        "data: " + FakeHandler.Status("COMPLETED") + "\n\n";
        var handler = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(events, Encoding.UTF8, "text/event-stream"),
        });
        var seen = new List<string>();
        var done = await Client(handler).StreamStatusAsync(Model, "req-1", null, s => seen.Add(s.Status), null, CancellationToken.None);
        Assert.Equal(new[] { "IN_QUEUE", "IN_PROGRESS", "COMPLETED" }, seen);
        Assert.True(done!.IsCompleted);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("/CassetteAI/music-generator/requests/req-1/status/stream", request.Url.AbsolutePath);
        Assert.Equal("text/event-stream", request.Headers["Accept"]);
    }

    [Theory]
    [InlineData("broken")]
    [InlineData("early-end")]
    [InlineData("not-sse")]
    public async Task WaitingFallsBackToPollingWhenTheStreamFails(string failure)
    {
        int polls = 0;
        var handler = new FakeHandler((request, _) =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/stream"))
            {
                return failure switch
                {
                    "broken" => FakeHandler.Json(HttpStatusCode.InternalServerError, "{}"),
                    "early-end" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("data: " + FakeHandler.Status("IN_PROGRESS") + "\n\n", Encoding.UTF8, "text/event-stream") },
                    _ => FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("IN_PROGRESS")),
                };
            }
            return FakeHandler.Json(++polls < 3 ? HttpStatusCode.Accepted : HttpStatusCode.OK, FakeHandler.Status(polls < 3 ? "IN_PROGRESS" : "COMPLETED"));
        });
        var sink = new RecordingSink();
        var waiter = new RequestWaiter(Client(handler), sink, 1, "test") { PollInterval = TimeSpan.FromMilliseconds(1) };
        var completed = await waiter.WaitAsync(Model, "req-1", null, CancellationToken.None);
        Assert.True(completed.IsCompleted);
        Assert.Equal(3, polls);
        Assert.Contains(sink.Verbose, m => m.Contains("polling instead"));
    }

    private static string Logs(params string[] lines) =>
        ",\"logs\":[" + string.Join(",", lines.Select(l => $"{{\"message\":\"{l}\",\"level\":\"INFO\",\"timestamp\":\"2026-01-01T00:00:00Z\"}}")) + "]";

    private static string Event(string status, params string[] lines) =>
        "data: " + FakeHandler.Status(status, extra: Logs(lines)).Replace("\"logs\":[],", "") + "\n\n";

    [Fact]
    public async Task StreamLogLinesAccumulateBecauseEachEventCarriesOnlyNewLines()
    {
        // fal's stream sends only the lines new since its previous event (fal-js accumulates them itself).
        string events = Event("IN_PROGRESS", "one") + Event("IN_PROGRESS") + Event("IN_PROGRESS", "two", "three") + Event("COMPLETED", "four");
        var handler = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(events, Encoding.UTF8, "text/event-stream") });
        var sink = new RecordingSink();
        var waiter = new RequestWaiter(Client(handler), sink, 1, "test");
        var completed = await waiter.WaitAsync(Model, "req-1", null, CancellationToken.None);
        // The completed status is left to the caller to report, once it has asked for the result.
        Assert.Equal(new[] { "one", "two", "three" }, sink.Information.Select(e => e.Message));
        waiter.ReportCompleted(completed);
        Assert.Equal(new[] { "one", "two", "three", "four" }, sink.Information.Select(e => e.Message));
    }

    [Fact]
    public async Task PollingAfterTheStreamSkipsTheLinesTheStreamDelivered()
    {
        // The stream gives "one" and "two" and ends early; polling returns the whole log, of which only "three" is new.
        var handler = new FakeHandler((request, _) => request.RequestUri!.AbsolutePath.EndsWith("/stream")
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Event("IN_PROGRESS", "one") + Event("IN_PROGRESS", "two"), Encoding.UTF8, "text/event-stream") }
            : FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("COMPLETED", extra: Logs("one", "two", "three")).Replace("\"logs\":[],", "")));
        var sink = new RecordingSink();
        var waiter = new RequestWaiter(Client(handler), sink, 1, "test") { PollInterval = TimeSpan.FromMilliseconds(1) };
        var completed = await waiter.WaitAsync(Model, "req-1", null, CancellationToken.None);
        Assert.Equal(new[] { "one", "two" }, sink.Information.Select(e => e.Message));
        waiter.ReportCompleted(completed);
        Assert.Equal(new[] { "one", "two", "three" }, sink.Information.Select(e => e.Message));
    }
}
