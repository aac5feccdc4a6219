using System.Net;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>fal_webhook: the engine POSTs fal's webhook body when a request completes, retrying failed deliveries.</summary>
public class WebhookTests(EngineFixture fixture, ITestOutputHelper output) : IClassFixture<EngineFixture>, IDisposable
{
    /// <summary>The shared engine's log tail goes with each test's output, shown when it fails.</summary>
    public void Dispose() => fixture.Engine.WriteLogTailTo(output);

    private static readonly object Input = new { prompt = "x", duration = 10 };

    [Fact]
    public async Task ACompletedRequestIsPostedWithStatusOkAndItsResult()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var engine = fixture.Engine;
        var submitted = await engine.SubmitAsync(Input, query: "?fal_webhook=" + Uri.EscapeDataString(receiver.Url.AbsoluteUri));

        var body = await receiver.WaitForDeliveryAsync();
        Assert.Equal(submitted.Id(), body.Str("request_id"));
        Assert.Equal(submitted.Id(), body.Str("gateway_request_id"));
        Assert.Equal("OK", body.Str("status"));
        Assert.Equal(submitted.Id(), receiver.LastFalHeaders["X-Fal-Webhook-Request-Id"]);
        long sent = long.Parse(receiver.LastFalHeaders["X-Fal-Webhook-Timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sent, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var file = body.GetProperty("payload").GetProperty("audio_file");
        using var download = await new HttpClient().GetAsync(file.Url("url"));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(file.GetProperty("file_size").GetInt64(), download.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task AFailedDeliveryIsRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var engine = await TestEngine.StartAsync(output, "--WebhookAttempts", "5", "--WebhookRetryDelay", "00:00:00.050");
        var submitted = await engine.SubmitAsync(Input, query: "?fal_webhook=" + Uri.EscapeDataString(receiver.Url.AbsoluteUri));

        var body = await receiver.WaitForDeliveryAsync();
        Assert.Equal(submitted.Id(), body.Str("request_id"));
        Assert.Equal(3, receiver.Attempts);
    }

    [Fact]
    public async Task AnAttemptThatTakesLongerThanTheAttemptTimeoutIsRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(hangFirst: 1);
        await using var engine = await TestEngine.StartAsync(output, "--WebhookAttemptTimeout", "00:00:00.500", "--WebhookRetryDelay", "00:00:00.050");
        var submitted = await engine.SubmitAsync(Input, query: "?fal_webhook=" + Uri.EscapeDataString(receiver.Url.AbsoluteUri));

        var body = await receiver.WaitForDeliveryAsync();
        Assert.Equal(submitted.Id(), body.Str("request_id"));
        Assert.Equal(2, receiver.Attempts);
    }

    [Fact]
    public void TheDefaultsFollowFalsTenRetriesInTheSpanOfTwoHours()
    {
        var options = new EngineOptions();
        Assert.Equal(11, options.WebhookAttempts);
        var waits = Enumerable.Range(0, options.WebhookAttempts - 1).Sum(n => options.WebhookRetryDelay.TotalSeconds * Math.Pow(2, n));
        Assert.InRange(TimeSpan.FromSeconds(waits), TimeSpan.FromMinutes(100), TimeSpan.FromMinutes(130));
        Assert.Equal(TimeSpan.FromSeconds(15), options.WebhookAttemptTimeout);
    }

    [Fact]
    public async Task ACancelledRequestIsPostedWithStatusErrorAndTheErrorBody()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        var submitted = await engine.SubmitAsync(Input, query: "?fal_webhook=" + Uri.EscapeDataString(receiver.Url.AbsoluteUri));
        await engine.WaitUntilRunningAsync(submitted);
        await engine.CancelAsync(submitted);

        var body = await receiver.WaitForDeliveryAsync();
        Assert.Equal("ERROR", body.Str("status"));
        Assert.Equal("Invalid status code: 499", body.Str("error"));
        Assert.Equal("client_cancelled", body.GetProperty("payload").Str("error_type"));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/hook")]
    public async Task AWebhookThatIsNotAnHttpUrlIsRefused(string webhook)
    {
        var engine = fixture.Engine;
        using var response = await engine.PostSubmitAsync(Input, query: "?fal_webhook=" + Uri.EscapeDataString(webhook));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
