using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>fal's SSE status stream: "data:" lines only, one per change, closed right after COMPLETED.</summary>
public class StatusStreamTests(EngineFixture fixture, ITestOutputHelper output) : IClassFixture<EngineFixture>, IDisposable
{
    /// <summary>The shared engine's log tail goes with each test's output, shown when it fails.</summary>
    public void Dispose() => fixture.Engine.WriteLogTailTo(output);

    private static readonly object Input = new { prompt = "x", duration = 10 };

    [Fact]
    public async Task TheStreamFollowsARequestFromQueueToCompletionAndCloses()
    {
        await using var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        var running = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);
        var watched = await engine.SubmitAsync(Input);

        await using var stream = await SseReader.OpenAsync(engine.Client, watched.Url("status_url") + "/stream?logs=1");
        Assert.Equal("text/event-stream", stream.ContentType);
        Assert.Equal(watched.Id(), stream.RequestId);
        var first = await stream.NextEventAsync();
        Assert.Equal("IN_QUEUE", first!.Value.Str("status"));
        Assert.Equal(0, first.Value.GetProperty("queue_position").GetInt32());

        await engine.CancelAsync(running);
        var started = await stream.NextEventAsync(e => e.Str("status") == "IN_PROGRESS");
        Assert.Equal(JsonValueKind.Array, started.GetProperty("logs").ValueKind);
        await engine.CancelAsync(watched);
        var completed = await stream.NextEventAsync(e => e.Str("status") == "COMPLETED");
        Assert.Equal("client_cancelled", completed.Str("error_type"));
        Assert.Null(await stream.NextEventAsync());
        Assert.DoesNotContain(stream.Lines, l => l.StartsWith("event:"));
    }

    [Fact]
    public async Task AStreamOpenedAfterCompletionSendsCompletedOnceAndCloses()
    {
        var engine = fixture.Engine;
        var submitted = await engine.SubmitAsync(Input);
        await engine.WaitForCompletionAsync(submitted);
        await using var stream = await SseReader.OpenAsync(engine.Client, submitted.Url("status_url") + "/stream");
        Assert.Equal("COMPLETED", (await stream.NextEventAsync())!.Value.Str("status"));
        Assert.Null(await stream.NextEventAsync());
    }

    [Fact]
    public async Task TheStreamOfAnUnknownRequestIs404()
    {
        var engine = fixture.Engine;
        using var response = await engine.Client.GetAsync($"CassetteAI/music-generator/requests/{Guid.NewGuid()}/status/stream");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task EachEventCarriesOnlyTheNewLogLinesWhilePollingReturnsThemAll()
    {
        // A held request logs a progress line every second until it is cancelled.
        await using var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        var submitted = await engine.SubmitAsync(Input);
        await using var stream = await SseReader.OpenAsync(engine.Client, submitted.Url("status_url") + "/stream?logs=1");

        var streamed = new List<string>();
        int eventsWithLogs = 0;
        bool cancelled = false;
        while (await stream.NextEventAsync() is { } next)
        {
            if (next.GetProperty("logs").ValueKind == JsonValueKind.Array)
            {
                var lines = next.GetProperty("logs").EnumerateArray().Select(l => l.Str("message")!).ToList();
                if (lines.Count > 0) eventsWithLogs++;
                streamed.AddRange(lines);
            }
            if (next.Str("status") == "COMPLETED") break;
            if (eventsWithLogs >= 3 && !cancelled)
            {
                cancelled = true;
                await engine.CancelAsync(submitted);
            }
        }
        Assert.Null(await stream.NextEventAsync());

        var polled = (await engine.StatusAsync(submitted, logs: true)).GetProperty("logs").EnumerateArray().Select(l => l.Str("message")!).ToList();
        Assert.Contains(polled, l => l.StartsWith("Generating: ", StringComparison.Ordinal));
        // Every line exactly once, in order: no event repeats a line an earlier event carried.
        Assert.Equal(polled, streamed);
    }

    [Fact]
    public async Task AQuietStreamSendsPingCommentsAtTheConfiguredInterval()
    {
        await using var engine = await TestEngine.StartAsync(output, [.. TestEngine.HoldRequests, "--StreamPingInterval", "00:00:00.100"]);
        var running = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);
        await using var stream = await SseReader.OpenAsync(engine.Client, running.Url("status_url") + "/stream");
        Assert.Equal("IN_PROGRESS", (await stream.NextEventAsync())!.Value.Str("status"));

        // The next event only comes with the cancel, so the lines read until then can only be pings.
        var pings = stream.CountCommentsAsync(": ping", 2);
        Assert.Equal(2, await pings);
        await engine.CancelAsync(running);
        Assert.Equal("COMPLETED", (await stream.NextEventAsync(e => e.Str("status") == "COMPLETED")).Str("status"));
    }
}
