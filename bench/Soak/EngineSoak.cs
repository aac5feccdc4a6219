using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cassette.EngineSupport;

namespace Cassette.Bench.Soak;

/// <summary>
/// The same cases through a real engine process over HTTP: submitted by parallel clients, followed to COMPLETED,
/// some cancelled part way, and every <see cref="SoakOptions.ShutdownEvery"/> requests the engine is shut down
/// (SIGTERM) with requests still rendering and a new one started. A request the client sees fail, or any error the
/// engine logs, is a failure; the engine's log is kept when one happened.
/// </summary>
public static class EngineSoak
{
    private const string Model = "CassetteAI/music-generator";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public static async Task<SoakReport> RunAsync(SoakOptions options, CaseGenerator cases)
    {
        var report = new SoakReport();
        int roundSize = options.ShutdownEvery > 0 ? options.ShutdownEvery : options.Renders;
        // A shutdown ends a round before all its cases were tried; the next round starts with those.
        for (int first = 0; first < options.Renders;)
        {
            int count = Math.Min(roundSize, options.Renders - first);
            first += await RoundAsync(options, cases, first, count, shutDownMidway: options.ShutdownEvery > 0, report);
        }
        return report;
    }

    /// <summary>Runs one engine for up to <paramref name="count"/> cases; returns how many it tried (at least one).</summary>
    private static async Task<int> RoundAsync(SoakOptions options, CaseGenerator cases, int first, int count, bool shutDownMidway, SoakReport report)
    {
        string key = "soak-" + Guid.NewGuid().ToString("N");
        string log = Path.Combine(options.LogFolder, $"cassette-soak-engine-{first}.log");
        using var engine = LocalEngineProcess.Start(options.EnginePath, key,
            ["--Workers", options.Workers.ToString(), "--Retention", "00:02:00", .. options.EngineArguments], TimeSpan.FromMinutes(2), log);
        using var http = new HttpClient { BaseAddress = engine.Url, Timeout = Patience };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", key);
        var requestCases = new ConcurrentDictionary<string, SoakCase>();
        int failedBefore = report.FailedCount, finished = 0, next = first - 1;
        using var shutdown = new CancellationTokenSource();
        var random = new Random(options.Seed + first);

        async Task ClientAsync(int clientSeed)
        {
            var clientRandom = new Random(clientSeed);
            while (!shutdown.IsCancellationRequested)
            {
                int index = Interlocked.Increment(ref next);
                if (index >= first + count) return;
                var soakCase = cases.Next(index);
                bool cancel = clientRandom.NextDouble() < options.CancelFraction;
                try
                {
                    await FollowAsync(http, soakCase, cancel ? TimeSpan.FromMilliseconds(clientRandom.Next(0, 2000)) : null, requestCases, report, shutdown.Token);
                }
                catch (Exception) when (shutdown.IsCancellationRequested)
                {
                    report.Lost();
                }
                catch (Exception ex)
                {
                    report.Fail(soakCase, "the client failed: " + ex.Message);
                }
                Interlocked.Increment(ref finished);
            }
        }

        var clients = Enumerable.Range(0, options.Parallel).Select(c => Task.Run(() => ClientAsync(random.Next()))).ToList();
        if (shutDownMidway)
        {
            // Shut down with work in flight: once three quarters of the round has finished.
            var all = Task.WhenAll(clients);
            while (!all.IsCompleted && Volatile.Read(ref finished) < count * 3 / 4)
                await Task.WhenAny(all, Task.Delay(100));
            shutdown.Cancel();
            engine.Stop(TimeSpan.FromSeconds(30));
            await all;
        }
        else
        {
            await Task.WhenAll(clients);
            engine.Stop(TimeSpan.FromSeconds(30));
        }

        // The engine logs every runner failure (with its exception); a render racing the shutdown must not be one.
        // The console logger writes "level: category[event]" and the message on the next line.
        string[] lines = File.ReadAllLines(engine.LogPath);
        for (int i = 0; i < lines.Length; i++)
        {
            string heading = lines[i];
            bool error = heading.StartsWith("fail:", StringComparison.Ordinal) || heading.StartsWith("crit:", StringComparison.Ordinal);
            bool runnerWarning = heading.StartsWith("warn:", StringComparison.Ordinal) && heading.Contains("GenerationWorkers", StringComparison.Ordinal);
            if (!error && !runnerWarning && !heading.Contains("Unhandled exception", StringComparison.Ordinal)) continue;
            string line = i + 1 < lines.Length ? heading + " " + lines[i + 1].Trim() : heading;
            var culprit = requestCases.FirstOrDefault(pair => line.Contains(pair.Key, StringComparison.Ordinal));
            if (culprit.Value is not null) report.Fail(culprit.Value, "the engine logged: " + line);
            else report.Fail("the engine logged: " + line);
        }
        if (report.FailedCount > failedBefore)
            Console.Error.WriteLine($"Engine log kept at {engine.LogPath}; its tail:\n{engine.LogTail(60)}");
        else
            engine.DeleteLog();
        return Math.Clamp(Volatile.Read(ref next) - first + 1, 1, count);
    }

    private static async Task FollowAsync(HttpClient http, SoakCase soakCase, TimeSpan? cancelAfter,
        ConcurrentDictionary<string, SoakCase> requestCases, SoakReport report, CancellationToken shutdown)
    {
        using var submit = await http.PostAsJsonAsync(Model, new { prompt = soakCase.Prompt, duration = soakCase.DurationSeconds, seed = soakCase.Seed }, shutdown);
        if (!submit.IsSuccessStatusCode)
        {
            report.Fail(soakCase, $"submit answered {(int)submit.StatusCode}: {await submit.Content.ReadAsStringAsync(shutdown)}");
            return;
        }
        var submitted = await submit.Content.ReadFromJsonAsync<JsonElement>(shutdown);
        string id = submitted.GetProperty("request_id").GetString();
        requestCases[id] = soakCase;
        string statusUrl = submitted.GetProperty("status_url").GetString();
        var cancelAt = cancelAfter is { } after ? DateTime.UtcNow + after : (DateTime?)null;
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (cancelAt is { } at && DateTime.UtcNow >= at)
            {
                cancelAt = null;
                using var cancelled = await http.PutAsync(submitted.GetProperty("cancel_url").GetString(), null, shutdown);
            }
            using var response = await http.GetAsync(statusUrl, shutdown);
            var status = await response.Content.ReadFromJsonAsync<JsonElement>(shutdown);
            if (status.GetProperty("status").GetString() == "COMPLETED")
            {
                string errorType = status.TryGetProperty("error_type", out var type) ? type.GetString() : null;
                if (errorType is null) report.Completed();
                else if (errorType == "client_cancelled") report.Cancelled();
                else report.Fail(soakCase, $"request {id} ended with {errorType}: {status.GetProperty("error").GetString()}");
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                report.Fail(soakCase, $"request {id} did not complete within {Patience.TotalMinutes} min");
                return;
            }
            await Task.Delay(200, shutdown);
        }
    }
}
