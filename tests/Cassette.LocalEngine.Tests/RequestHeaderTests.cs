using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>X-Fal-Request-Timeout and fal_max_queue_length, with one worker held busy so requests must wait.</summary>
public class RequestHeaderTests(ITestOutputHelper output)
{
    private static readonly object Input = new { prompt = "x", duration = 10 };

    [Fact]
    public async Task ARequestThatCannotStartBeforeItsTimeoutAnswers504WithTimeoutTypeUser()
    {
        await using var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        var running = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);
        var late = await engine.SubmitAsync(Input, configure: m => m.Headers.Add("X-Fal-Request-Timeout", "1.5"));
        var patient = await engine.SubmitAsync(Input, configure: m => m.Headers.Add("X-Fal-Request-Timeout", "3600"));

        var status = await engine.WaitForCompletionAsync(late);
        Assert.Equal("request_timeout", status.Str("error_type"));
        using var result = await engine.Client.GetAsync(late.Url("response_url"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, result.StatusCode);
        Assert.Equal("user", result.Headers.GetValues("X-Fal-Request-Timeout-Type").Single());
        Assert.Equal("request_timeout", result.Headers.GetValues("X-Fal-Error-Type").Single());
        Assert.Equal("request_timeout", (await Json.ReadAsync(result)).Str("error_type"));

        var waiting = await engine.StatusAsync(patient);
        Assert.Equal("IN_QUEUE", waiting.Str("status"));
        Assert.Equal(0, waiting.GetProperty("queue_position").GetInt32());
        await engine.CancelAsync(patient);
        await engine.CancelAsync(running);
    }

    /// <summary>Pinned: the deadline is only to start; an unparsable value is ignored rather than refused.</summary>
    [Theory]
    [InlineData("30")]
    [InlineData("abc")]
    [InlineData("-5")]
    public async Task ARequestThatStartsInTimeRunsToTheEnd(string timeout)
    {
        await using var engine = await TestEngine.StartAsync(output);
        var submitted = await engine.SubmitAsync(Input, configure: m => m.Headers.Add("X-Fal-Request-Timeout", timeout));
        var status = await engine.WaitForCompletionAsync(submitted);
        Assert.False(status.TryGetProperty("error_type", out _));
    }

    [Fact]
    public async Task FalMaxQueueLengthRefusesWith429WhenThatManyRequestsWait()
    {
        await using var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        var running = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);
        var waiting = new List<JsonElement>
        {
            await engine.SubmitAsync(Input, query: "?fal_max_queue_length=2"),
            await engine.SubmitAsync(Input, query: "?fal_max_queue_length=2"),
        };
        using (var refused = await engine.PostSubmitAsync(Input, query: "?fal_max_queue_length=2"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Contains("fal_max_queue_length=2", (await Json.ReadAsync(refused)).Str("detail"));
        }
        // Nothing was queued by the refused call: the next request is third in line.
        var unlimited = await engine.SubmitAsync(Input);
        Assert.Equal(2, unlimited.GetProperty("queue_position").GetInt32());
        waiting.Add(unlimited);
        // Pinned: a limit below 1 is ignored (0 would refuse everything).
        waiting.Add(await engine.SubmitAsync(Input, query: "?fal_max_queue_length=0"));
        // The limit counts waiting requests of the same model only.
        waiting.Add(await engine.SubmitAsync(new { prompt = "x", duration = 1 }, TestEngine.SoundEffects, query: "?fal_max_queue_length=1"));
        foreach (var request in waiting) await engine.CancelAsync(request);
        await engine.CancelAsync(running);
    }
}
