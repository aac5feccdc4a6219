using System.Net;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// fal: a cancel "sends a cancellation signal to the runner; the model app decides how to stop the work". A runner
/// that ignores it answers 202 CANCELLATION_REQUESTED and the request then completes normally (--IgnoreCancel, or an
/// ignore-cancel fault rule for one call).
/// </summary>
public class CancelIgnoredTests(ITestOutputHelper output)
{
    private static readonly object Input = new { prompt = "x", duration = 10 };

    [Fact]
    public async Task WithIgnoreCancelARunningRequestAnswers202AndStillCompletesWithItsAudio()
    {
        await using var engine = await TestEngine.StartAsync(output, "--IgnoreCancel", "true", "--ProcessingSeconds", "2");
        var submitted = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(submitted);

        using (var cancel = await engine.Client.PutAsync(submitted.Url("cancel_url"), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            Assert.Equal("CANCELLATION_REQUESTED", (await Json.ReadAsync(cancel)).Str("status"));
        }
        var completed = await engine.WaitForCompletionAsync(submitted);
        Assert.Null(completed.Str("error_type"));
        using var result = await engine.Client.GetAsync(submitted.Url("response_url"));
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.NotNull((await Json.ReadAsync(result)).GetProperty("audio_file").Str("url"));
        using var again = await engine.Client.PutAsync(submitted.Url("cancel_url"), null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("ALREADY_COMPLETED", (await Json.ReadAsync(again)).Str("status"));
    }

    [Fact]
    public async Task WithIgnoreCancelAWaitingRequestStillLeavesTheQueue()
    {
        await using var engine = await TestEngine.StartAsync(output, [.. TestEngine.HoldRequests, "--IgnoreCancel", "true"]);
        var running = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);
        var waiting = await engine.SubmitAsync(Input);

        Assert.Equal(HttpStatusCode.Accepted, await engine.CancelAsync(waiting));
        Assert.Equal("client_cancelled", (await engine.StatusAsync(waiting)).Str("error_type"));
        // The running one ignores it and keeps running.
        Assert.Equal(HttpStatusCode.Accepted, await engine.CancelAsync(running));
        Assert.Equal("IN_PROGRESS", (await engine.StatusAsync(running)).Str("status"));
    }

    [Fact]
    public async Task AnIgnoreCancelFaultIgnoresOneCancelAndTheNextOneCancels()
    {
        await using var engine = await TestEngine.StartAsync(output, [.. TestEngine.HoldRequests, "--EnableFaultInjection", "true"]);
        var running = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);
        await engine.AddFaultAsync(new { target = "cancel", requestId = running.Id(), kind = "ignore-cancel" });

        Assert.Equal(HttpStatusCode.Accepted, await engine.CancelAsync(running));
        Assert.Equal("IN_PROGRESS", (await engine.StatusAsync(running)).Str("status"));
        Assert.Equal(HttpStatusCode.Accepted, await engine.CancelAsync(running));
        var cancelled = await engine.WaitForCompletionAsync(running);
        Assert.Equal("client_cancelled", cancelled.Str("error_type"));
    }
}
