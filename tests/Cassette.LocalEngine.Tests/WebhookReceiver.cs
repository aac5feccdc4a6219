using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cassette.LocalEngine.Tests;

/// <summary>A loopback HTTP server that records webhook deliveries and fails the first ones on request.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;
    private int _hangsLeft;

    private WebhookReceiver(WebApplication app, int failFirst, int hangFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
        _hangsLeft = hangFirst;
    }

    public ConcurrentQueue<JsonElement> Delivered { get; } = new();
    /// <summary>The X-Fal-Webhook-* headers of the last delivery that was accepted.</summary>
    public IReadOnlyDictionary<string, string> LastFalHeaders { get; private set; } = new Dictionary<string, string>();
    public int Attempts;
    public Uri Url => new(_app.Urls.Single().TrimEnd('/') + "/hook?source=engine");

    /// <summary>Starts a receiver that answers 500 to the first <paramref name="failFirst"/> deliveries, after never answering the first <paramref name="hangFirst"/>.</summary>
    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0, int hangFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, failFirst, hangFirst);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver.Attempts);
            if (Interlocked.Decrement(ref receiver._hangsLeft) >= 0)
            {
                // Until the engine gives up on this attempt and drops the connection.
                try { await Task.Delay(TestEngine.Patience, context.RequestAborted); }
                catch (OperationCanceledException) { }
                return Results.StatusCode(500);
            }
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0) return Results.StatusCode(500);
            receiver.LastFalHeaders = context.Request.Headers.Where(h => h.Key.StartsWith("X-Fal-Webhook-", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            receiver.Delivered.Enqueue(document.RootElement.Clone());
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async Task<JsonElement> WaitForDeliveryAsync()
    {
        var deadline = DateTime.UtcNow + TestEngine.Patience;
        while (!Delivered.TryPeek(out _))
        {
            Assert.True(DateTime.UtcNow < deadline, "no webhook was delivered");
            await Task.Delay(20);
        }
        Delivered.TryDequeue(out var body);
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
