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
        Assert.Equal(Submissions, engine.Service<Queue.RequestQueue>().Snapshot().Count);
        foreach (var (request, cancelled) in submitted)
        {
            var status = await engine.WaitForCompletionAsync(request);
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
