using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// Pinned restart behaviour: on the same --StorageFolder, completed requests (successes and errors) are served
/// again at the new address; requests that were waiting or running answer 404 and leave no files.
/// </summary>
public sealed class RestartTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cassette-restart-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task CompletedRequestsSurviveARestartAndUnfinishedOnesAreForgotten()
    {
        JsonElement done, cancelled, running, queued;
        long size;
        // Sound effects of 1 s take 2 s of server time; a 180 s track would take 360 s, so it is still running at the stop.
        await using (var first = await TestEngine.StartAsync(output, "--StorageFolder", _folder, "--Workers", "1", "--ProcessingSecondsPerAudioSecond", "2"))
        {
            done = await first.SubmitAsync(new { prompt = "x", duration = 1 }, TestEngine.SoundEffects);
            running = await first.SubmitAsync(new { prompt = "x", duration = 180 });
            queued = await first.SubmitAsync(new { prompt = "x", duration = 10 });
            cancelled = await first.SubmitAsync(new { prompt = "x", duration = 10 });
            await first.CancelAsync(cancelled);
            await first.WaitForCompletionAsync(done);
            await first.WaitUntilRunningAsync(running);
            size = (await Json.ReadAsync(await first.Client.GetAsync(done.Url("response_url")))).GetProperty("audio_file").GetProperty("file_size").GetInt64();
        }

        await using var second = await TestEngine.StartAsync(output, "--StorageFolder", _folder);
        string doneStatus = second.BaseUrl + $"CassetteAI/sound-effects-generator/requests/{done.Id()}";
        using (var status = await second.Client.GetAsync(doneStatus + "/status"))
        {
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            var body = await Json.ReadAsync(status);
            Assert.Equal("COMPLETED", body.Str("status"));
            Assert.StartsWith(second.BaseUrl.AbsoluteUri, body.Url("response_url"));
        }
        using (var result = await second.Client.GetAsync(doneStatus))
        {
            var file = (await Json.ReadAsync(result)).GetProperty("audio_file");
            Assert.StartsWith(second.BaseUrl.AbsoluteUri, file.Url("url"));
            Assert.Equal(size, (await second.Client.GetByteArrayAsync(file.Url("url"))).Length);
        }
        using (var result = await second.Client.GetAsync(second.BaseUrl + $"CassetteAI/music-generator/requests/{cancelled.Id()}"))
            Assert.Equal(499, (int)result.StatusCode);
        foreach (var forgotten in new[] { running, queued })
        {
            using var status = await second.Client.GetAsync(second.BaseUrl + $"CassetteAI/music-generator/requests/{forgotten.Id()}/status");
            Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
            Assert.Empty(Directory.GetFiles(_folder, forgotten.Id() + "*"));
        }
        Assert.Empty(Directory.GetFiles(_folder, "*.partial"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
