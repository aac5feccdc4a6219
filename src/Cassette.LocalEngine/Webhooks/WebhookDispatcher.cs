using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Cassette.LocalEngine.Queue;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine.Webhooks;

/// <summary>
/// Delivers fal's webhook for every completed request that asked for one, retrying with a doubling delay when
/// the receiver fails or does not answer 2xx within --WebhookAttemptTimeout. Each delivery carries fal's
/// X-Fal-Webhook-Request-Id and X-Fal-Webhook-Timestamp; fal's signature (made with fal's private key) cannot be.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    public const string RequestIdHeader = "X-Fal-Webhook-Request-Id";
    public const string TimestampHeader = "X-Fal-Webhook-Timestamp";
    private const int ParallelDeliveries = 16;

    private readonly RequestQueue _queue;
    private readonly EngineOptions _options;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly Channel<QueuedRequest> _pending = Channel.CreateUnbounded<QueuedRequest>();
    private readonly HttpClient _http;

    public WebhookDispatcher(RequestQueue queue, IOptions<EngineOptions> options, ILogger<WebhookDispatcher> logger)
    {
        _queue = queue;
        _options = options.Value;
        _logger = logger;
        // Receivers are the user's own urls: never follow a redirect elsewhere.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = _options.WebhookAttemptTimeout };
        _queue.Finished += OnFinished;
    }

    public override void Dispose()
    {
        _queue.Finished -= OnFinished;
        _http.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(_pending.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelDeliveries, CancellationToken = stoppingToken },
            async (request, token) => await DeliverAsync(request, token).ConfigureAwait(false))
        .ContinueWith(_ => { }, TaskScheduler.Default);

    private void OnFinished(QueuedRequest request)
    {
        if (request.WebhookUrl is not null) _pending.Writer.TryWrite(request);
    }

    private async Task DeliverAsync(QueuedRequest request, CancellationToken stoppingToken)
    {
        JsonObject body = WebhookBody.For(request);
        var delay = _options.WebhookRetryDelay;
        for (int attempt = 1; attempt <= Math.Max(1, _options.WebhookAttempts); attempt++)
        {
            if (await TryPostAsync(request, body, attempt, stoppingToken).ConfigureAwait(false)) return;
            if (attempt == _options.WebhookAttempts) break;
            try { await Task.Delay(delay, stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            delay *= 2;
        }
        _logger.LogWarning("Gave up delivering the webhook of request {RequestId} to {Url}", request.Id, request.WebhookUrl);
    }

    private async Task<bool> TryPostAsync(QueuedRequest request, JsonObject body, int attempt, CancellationToken stoppingToken)
    {
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, request.WebhookUrl) { Content = JsonContent.Create(body) };
            message.Headers.Add(RequestIdHeader, request.Id);
            message.Headers.Add(TimestampHeader, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await _http.SendAsync(message, stoppingToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return true;
            _logger.LogInformation("Webhook of {RequestId} answered {Status} on attempt {Attempt}", request.Id, (int)response.StatusCode, attempt);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            _logger.LogInformation("Webhook of {RequestId} failed on attempt {Attempt}: {Message}", request.Id, attempt, ex.Message);
        }
        return false;
    }
}
