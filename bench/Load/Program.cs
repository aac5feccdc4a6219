using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

// Load benchmark for the local engine: N submissions from C concurrent clients. Every Kth request is
// cancelled right after submission; every other one is followed to COMPLETED. The run passes only when
// every request ends exactly once (completed or cancelled), none is lost and no id repeats.
var options = LoadOptions.Parse(args);
using var http = new HttpClient { BaseAddress = options.Url, Timeout = Timeout.InfiniteTimeSpan };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", options.Key);

var ids = new ConcurrentDictionary<string, string>();
int completed = 0, cancelled = 0, failed = 0, duplicates = 0, next = -1;
var failures = new ConcurrentBag<string>();
var watch = Stopwatch.StartNew();

async Task ClientAsync()
{
    while (true)
    {
        int index = Interlocked.Increment(ref next);
        if (index >= options.Requests) return;
        try
        {
            var outcome = await RunOneAsync(index);
            if (outcome == "completed") Interlocked.Increment(ref completed);
            else if (outcome == "cancelled") Interlocked.Increment(ref cancelled);
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref failed);
            failures.Add($"#{index}: {ex.GetType().Name}: {ex.Message}");
        }
    }
}

async Task<string> RunOneAsync(int index)
{
    using var submit = await http.PostAsJsonAsync(options.Model, new { prompt = $"load test {index} lo-fi hip-hop", duration = options.Duration });
    submit.EnsureSuccessStatusCode();
    using var queued = JsonDocument.Parse(await submit.Content.ReadAsStringAsync());
    string id = queued.RootElement.GetProperty("request_id").GetString()!;
    if (!ids.TryAdd(id, "submitted")) Interlocked.Increment(ref duplicates);
    string statusUrl = queued.RootElement.GetProperty("status_url").GetString()!;

    if (options.CancelEvery > 0 && index % options.CancelEvery == 0)
    {
        using var cancel = await http.PutAsync(queued.RootElement.GetProperty("cancel_url").GetString(), null);
        // 400 ALREADY_COMPLETED is a legitimate end too: the request finished before the cancel arrived.
        if (cancel.StatusCode == System.Net.HttpStatusCode.Accepted)
        {
            await WaitCompletedAsync(statusUrl);
            ids[id] = "cancelled";
            return "cancelled";
        }
    }
    await WaitCompletedAsync(statusUrl);
    using var result = await http.GetAsync(queued.RootElement.GetProperty("response_url").GetString());
    result.EnsureSuccessStatusCode();
    ids[id] = "completed";
    return "completed";
}

async Task WaitCompletedAsync(string statusUrl)
{
    while (true)
    {
        using var response = await http.GetAsync(statusUrl);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (status.RootElement.GetProperty("status").GetString() == "COMPLETED") return;
        await Task.Delay(options.PollMilliseconds);
    }
}

await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(ClientAsync)));
watch.Stop();

var report = new
{
    requests = options.Requests,
    clients = options.Clients,
    submitted = ids.Count,
    completed,
    cancelled,
    failed,
    duplicates,
    lost = options.Requests - completed - cancelled - failed,
    seconds = Math.Round(watch.Elapsed.TotalSeconds, 2),
    firstFailures = failures.Take(5).ToArray(),
};
Console.WriteLine(JsonSerializer.Serialize(report));
return report.failed == 0 && report.duplicates == 0 && report.lost == 0 && report.submitted == options.Requests ? 0 : 1;

sealed record LoadOptions(Uri Url, string Key, string Model, int Requests, int Clients, int Duration, int CancelEvery, int PollMilliseconds)
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
            int.Parse(Get("cancel-every", "10")), int.Parse(Get("poll-ms", "100")));
    }
}
