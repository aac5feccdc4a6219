using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Cassette.LocalEngine.Tests;

/// <summary>Many clients at once: every submission completes or is cancelled, none lost, none duplicated.</summary>
public class LoadTests
{
    private const int Submissions = 1000;
    private const int Clients = 64;

    [Fact]
    public async Task AThousandSubmissionsFrom64ClientsAllFinishExactlyOnce()
    {
        await using var engine = await TestEngine.StartAsync();
        var submitted = new ConcurrentBag<(JsonElement Request, bool Cancelled)>();
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < Submissions)
            {
                var request = await engine.SubmitAsync(new { prompt = $"clip {index}", duration = 1 }, TestEngine.SoundEffects);
                // Every fourth client cancels at once; the cancel may arrive after completion, which fal answers 400.
                bool cancelled = index % 4 == 0 && await engine.CancelAsync(request) == HttpStatusCode.Accepted;
                submitted.Add((request, cancelled));
            }
        })));

        Assert.Equal(Submissions, submitted.Count);
        Assert.Equal(Submissions, submitted.Select(s => s.Request.Id()).Distinct().Count());
        var queue = engine.Service<Queue.RequestQueue>();
        Assert.Equal(Submissions, queue.Snapshot().Count);
        // Wait for all of them at once, on the engine's own completion events: requests finish in queue order, so
        // waiting for each in turn with a deadline of its own fails whenever a loaded machine renders slowly.
        // This deadline only stops a hang.
        var all = Task.WhenAll(submitted.Select(s => queue.Find(s.Request.Id())!.WhenCompleted));
        await all.WaitAsync(TimeSpan.FromMinutes(20));
        foreach (var (request, cancelled) in submitted)
        {
            var status = await engine.StatusAsync(request);
            Assert.Equal("COMPLETED", status.Str("status"));
            using var result = await engine.Client.GetAsync(request.Url("response_url"));
            if (cancelled && status.Str("error_type") == "client_cancelled")
            {
                Assert.Equal(499, (int)result.StatusCode);
                continue;
            }
            // A cancel that reached a running request a moment too late lets it finish normally.
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            Assert.Equal(44 + 44100 * 4, (await Json.ReadAsync(result)).GetProperty("audio_file").GetProperty("file_size").GetInt64());
        }
    }
}
