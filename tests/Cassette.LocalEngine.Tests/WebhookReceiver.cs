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

    private WebhookReceiver(WebApplication app, int failFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
    }

    public ConcurrentQueue<JsonElement> Delivered { get; } = new();
    public int Attempts;
    public Uri Url => new(_app.Urls.Single().TrimEnd('/') + "/hook?source=engine");

    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, failFirst);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver.Attempts);
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0) return Results.StatusCode(500);
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
