using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// The FIFO, its positions and priorities. One worker holds each request until the test cancels it, so the
/// queue moves only when the test says and no assertion depends on timing.
/// </summary>
public class QueueTests(ITestOutputHelper output)
{
    private static readonly object Input = new { prompt = "x", duration = 10 };

    [Fact]
    public async Task QueuePositionsCountDownAsRequestsAheadLeave()
    {
        await using var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        var running = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);
        var b = await engine.SubmitAsync(Input);
        var c = await engine.SubmitAsync(Input);
        var d = await engine.SubmitAsync(Input);
        Assert.Equal([0, 1, 2], new[] { b, c, d }.Select(s => s.GetProperty("queue_position").GetInt32()));
        Assert.Equal(2, (await engine.StatusAsync(d)).GetProperty("queue_position").GetInt32());

        Assert.Equal(HttpStatusCode.Accepted, await engine.CancelAsync(running));
        await engine.WaitUntilRunningAsync(b);
        Assert.Equal(1, (await engine.WaitForAsync(d, s => s.GetProperty("queue_position").GetInt32() == 1)).GetProperty("queue_position").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, await engine.CancelAsync(c));
        Assert.Equal(0, (await engine.WaitForAsync(d, s => s.GetProperty("queue_position").GetInt32() == 0)).GetProperty("queue_position").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, await engine.CancelAsync(b));
        var started = await engine.WaitUntilRunningAsync(d);
        Assert.Equal(JsonValueKind.Null, started.GetProperty("queue_position").ValueKind);
        await engine.CancelAsync(d);
    }

    [Fact]
    public async Task LowPriorityWaitsBehindNormal()
    {
        await using var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        var running = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);
        var low = await engine.SubmitAsync(Input, configure: m => m.Headers.Add("X-Fal-Queue-Priority", "low"));
        var normal = await engine.SubmitAsync(Input, configure: m => m.Headers.Add("X-Fal-Queue-Priority", "normal"));
        Assert.Equal(0, low.GetProperty("queue_position").GetInt32());
        Assert.Equal(0, normal.GetProperty("queue_position").GetInt32());
        Assert.Equal(1, (await engine.StatusAsync(low)).GetProperty("queue_position").GetInt32());

        await engine.CancelAsync(running);
        await engine.WaitUntilRunningAsync(normal);
        var waiting = await engine.StatusAsync(low);
        Assert.Equal("IN_QUEUE", waiting.Str("status"));
        Assert.Equal(0, waiting.GetProperty("queue_position").GetInt32());
        await engine.CancelAsync(normal);
        await engine.WaitUntilRunningAsync(low);
        await engine.CancelAsync(low);
    }

    [Fact]
    public async Task LogsArriveWhileInProgressAndAreNullWhileQueued()
    {
        await using var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        var running = await engine.SubmitAsync(Input);
        var queued = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);

        var status = await engine.StatusAsync(running, logs: true);
        Assert.Equal("IN_PROGRESS", status.Str("status"));
        var entry = status.GetProperty("logs")[0];
        Assert.StartsWith("Generating 10 s of audio", entry.Str("message"));
        Assert.Equal("INFO", entry.Str("level"));
        Assert.True(DateTimeOffset.TryParse(entry.Str("timestamp"), out _));
        Assert.Equal(JsonValueKind.Null, (await engine.StatusAsync(running)).GetProperty("logs").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await engine.StatusAsync(queued, logs: true)).GetProperty("logs").ValueKind);
        // Progress entries keep coming while the server time runs.
        await engine.WaitForAsync(running, s => s.GetProperty("logs").GetArrayLength() > 1, logs: true);

        await engine.CancelAsync(queued);
        await engine.CancelAsync(running);
    }

    [Fact]
    public async Task TheResultOfARequestNotYetCompletedIs400()
    {
        await using var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        var running = await engine.SubmitAsync(Input);
        var queued = await engine.SubmitAsync(Input);
        foreach (var request in new[] { running, queued })
        {
            using var result = await engine.Client.GetAsync(request.Url("response_url"));
            Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
            Assert.Equal("application/json", result.Content.Headers.ContentType?.MediaType);
        }
        await engine.CancelAsync(queued);
        await engine.CancelAsync(running);
    }

    [Fact]
    public async Task WorkersRunRequestsConcurrentlyUpToTheConfiguredCount()
    {
        await using var engine = await TestEngine.StartAsync(output, "--Workers", "3", "--ProcessingSeconds", "600");
        var requests = new List<JsonElement>();
        for (int i = 0; i < 4; i++) requests.Add(await engine.SubmitAsync(Input));
        foreach (var request in requests.Take(3)) await engine.WaitUntilRunningAsync(request);
        Assert.Equal("IN_QUEUE", (await engine.StatusAsync(requests[3])).Str("status"));
        foreach (var request in requests) await engine.CancelAsync(request);
    }
}
