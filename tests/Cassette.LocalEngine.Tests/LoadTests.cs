using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>Many clients at once: every submission completes or is cancelled, none lost, none duplicated.</summary>
public class LoadTests(ITestOutputHelper output)
{
    private const int Submissions = 1000;
    private const int Clients = 64;

    [Fact]
    public async Task AThousandSubmissionsFrom64ClientsAllFinishExactlyOnce()
    {
        await using var engine = await TestEngine.StartAsync(output, "--EnableFaultInjection", "true");
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
        // The engine queued each exactly once (fault injection is on only for this count, from /_engine/calls).
        Assert.Equal(Submissions, await engine.CallCountAsync("submit"));
        // Wait on the engine's own completion events, the status streams, which close right after COMPLETED. One
        // deadline for them all, only to stop a hang: requests finish in queue order, so a deadline of each one's own
        // fails whenever a loaded machine renders slowly.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        foreach (var (request, _) in submitted)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, "the submissions did not all complete within 20 minutes");
            await using var stream = await SseReader.OpenAsync(engine.Client, request.Url("status_url") + "/stream", left);
            await stream.NextEventAsync(e => e.Str("status") == "COMPLETED");
        }
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
