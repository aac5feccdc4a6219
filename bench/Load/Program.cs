using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

// Load benchmark for the local engine: N submissions from C concurrent clients. Every Kth request is cancelled right
// after submission; every other one is followed to COMPLETED and its result fetched once. Each request has a deadline,
// so a request that never ends is counted as lost instead of hanging the run. Afterwards every id is asked again, so
// the server's own account confirms the client's: each request ended exactly once, as the client saw it end.
// The run passes only when none is lost, none duplicated, none failed and every result belongs to its request.
var options = LoadOptions.Parse(args);
using var http = new HttpClient { BaseAddress = options.Url, Timeout = Timeout.InfiniteTimeSpan };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", options.Key);

// request id -> what the client saw: submitted, then completed or cancelled.
var outcomes = new ConcurrentDictionary<string, string>();
var statusUrls = new ConcurrentDictionary<string, string>();
int failed = 0, duplicates = 0, resultFetches = 0, wrongResults = 0, cancelsSent = 0, cancelsTooLate = 0, next = -1;
var failures = new ConcurrentBag<string>();
var watch = Stopwatch.StartNew();

async Task ClientAsync()
{
    while (true)
    {
        int index = Interlocked.Increment(ref next);
        if (index >= options.Requests) return;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.DeadlineSeconds));
        try
        {
            await RunOneAsync(index, deadline.Token);
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref failed);
            failures.Add($"#{index}: {ex.GetType().Name}: {ex.Message}");
        }
    }
}

async Task RunOneAsync(int index, CancellationToken token)
{
    using var submit = await http.PostAsJsonAsync(options.Model, new { prompt = $"load test {index} lo-fi hip-hop", duration = options.Duration }, token);
    submit.EnsureSuccessStatusCode();
    using var queued = JsonDocument.Parse(await submit.Content.ReadAsStringAsync(token));
    var root = queued.RootElement;
    string id = root.GetProperty("request_id").GetString()!;
    if (!outcomes.TryAdd(id, "submitted")) Interlocked.Increment(ref duplicates);
    string statusUrl = root.GetProperty("status_url").GetString()!;
    statusUrls[id] = statusUrl;

    bool cancelled = false;
    if (options.CancelEvery > 0 && index % options.CancelEvery == 0)
    {
        using var cancel = await http.PutAsync(root.GetProperty("cancel_url").GetString(), null, token);
        // 400 ALREADY_COMPLETED is a legitimate end too: the request finished before the cancel arrived.
        cancelled = cancel.StatusCode == HttpStatusCode.Accepted;
        Interlocked.Increment(ref cancelsSent);
        if (cancel.StatusCode == HttpStatusCode.BadRequest) Interlocked.Increment(ref cancelsTooLate);
        else if (!cancelled) throw new InvalidOperationException($"cancel of {id} answered {(int)cancel.StatusCode}");
    }
    await WaitCompletedAsync(statusUrl, token);

    // Each result is fetched exactly once, and must be this request's: its audio or its cancellation.
    Interlocked.Increment(ref resultFetches);
    using var result = await http.GetAsync(root.GetProperty("response_url").GetString(), token);
    string body = await result.Content.ReadAsStringAsync(token);
    bool belongs = cancelled
        ? result.StatusCode == (HttpStatusCode)499 && body.Contains("client_cancelled")
        : result.IsSuccessStatusCode && AudioUrlOf(body) is { } url && url.Contains(id) && FileSizeOf(body) > 0;
    if (!belongs)
    {
        Interlocked.Increment(ref wrongResults);
        failures.Add($"{id}: result {(int)result.StatusCode} does not match a {(cancelled ? "cancelled" : "completed")} request");
    }
    outcomes[id] = cancelled ? "cancelled" : "completed";
}

async Task WaitCompletedAsync(string statusUrl, CancellationToken token)
{
    while (true)
    {
        using var response = await http.GetAsync(statusUrl, token);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
        if (status.RootElement.GetProperty("status").GetString() == "COMPLETED") return;
        await Task.Delay(options.PollMilliseconds, token);
    }
}

static string? AudioUrlOf(string body)
{
    using var document = JsonDocument.Parse(body);
    return document.RootElement.TryGetProperty("audio_file", out var file) && file.TryGetProperty("url", out var url) ? url.GetString() : null;
}

static long FileSizeOf(string body)
{
    using var document = JsonDocument.Parse(body);
    return document.RootElement.GetProperty("audio_file").TryGetProperty("file_size", out var size) ? size.GetInt64() : 0;
}

await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(ClientAsync)));
watch.Stop();

// The server's account: every id the client saw must be COMPLETED there, cancelled exactly when the client saw a cancel.
int serverDisagrees = 0;
await Parallel.ForEachAsync(statusUrls, new ParallelOptions { MaxDegreeOfParallelism = options.Clients }, async (entry, token) =>
{
    using var response = await http.GetAsync(entry.Value, token);
    using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
    var root = status.RootElement;
    bool completed = root.GetProperty("status").GetString() == "COMPLETED";
    bool cancelledThere = root.TryGetProperty("error_type", out var type) && type.GetString() == "client_cancelled";
    string seen = outcomes[entry.Key];
    if (!completed || cancelledThere != (seen == "cancelled"))
    {
        Interlocked.Increment(ref serverDisagrees);
        failures.Add($"{entry.Key}: the client saw {seen}, the server says {root.GetProperty("status").GetString()}{(cancelledThere ? " (cancelled)" : "")}");
    }
});

int completedCount = outcomes.Values.Count(v => v == "completed");
int cancelledCount = outcomes.Values.Count(v => v == "cancelled");
var report = new
{
    requests = options.Requests,
    clients = options.Clients,
    submitted = outcomes.Count,
    completed = completedCount,
    cancelled = cancelledCount,
    cancelsSent,
    cancelsTooLate,
    failed,
    duplicates,
    // Submitted but never seen to end, plus submissions that never got an id without an exception to show for it.
    lost = outcomes.Values.Count(v => v == "submitted") + Math.Max(0, options.Requests - outcomes.Count - failed),
    resultFetches,
    wrongResults,
    serverDisagrees,
    seconds = Math.Round(watch.Elapsed.TotalSeconds, 2),
    firstFailures = failures.Take(5).ToArray(),
};
Console.WriteLine(JsonSerializer.Serialize(report));
bool passed = report.failed == 0 && report.duplicates == 0 && report.lost == 0 && report.submitted == options.Requests
              && report.wrongResults == 0 && report.serverDisagrees == 0 && report.resultFetches == options.Requests;
return passed ? 0 : 1;

sealed record LoadOptions(Uri Url, string Key, string Model, int Requests, int Clients, int Duration, int CancelEvery, int PollMilliseconds,
    int DeadlineSeconds)
{
    public static LoadOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            int i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var url = Get("url", "") is { Length: > 0 } u ? new Uri(u.TrimEnd('/') + "/") : throw new ArgumentException("--url is required");
        return new LoadOptions(url, Get("key", "load-test"), Get("model", "CassetteAI/music-generator"),
            int.Parse(Get("requests", "1000")), int.Parse(Get("clients", "64")), int.Parse(Get("duration", "10")),
            int.Parse(Get("cancel-every", "10")), int.Parse(Get("poll-ms", "100")), int.Parse(Get("deadline-seconds", "300")));
    }
}
