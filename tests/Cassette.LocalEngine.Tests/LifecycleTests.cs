using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cassette.TestSupport;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>Options from the command line and CASSETTE_ENGINE_* variables, and a graceful shutdown that cleans up.</summary>
public class LifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AGracefulStopRemovesTheTemporaryFolderAndItsAudio()
    {
        if (OperatingSystem.IsWindows()) return; // A graceful stop is SIGTERM; the launcher can only kill on Windows.
        var engine = await TestEngine.StartAsync(output);
        string folder = engine.StorageFolder;
        var submitted = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await engine.WaitForCompletionAsync(submitted);
        Assert.NotEmpty(Directory.GetFiles(folder));
        await engine.DisposeAsync();
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task AGracefulStopWithWorkInFlightStillCleansUp()
    {
        if (OperatingSystem.IsWindows()) return; // A graceful stop is SIGTERM; the launcher can only kill on Windows.
        var engine = await TestEngine.StartAsync(output, TestEngine.HoldRequests);
        string folder = engine.StorageFolder;
        var running = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await engine.WaitUntilRunningAsync(running);
        var stream = await SseReader.OpenAsync(engine.Client, running.Url("status_url") + "/stream");
        await stream.NextEventAsync();
        await engine.DisposeAsync();
        Assert.False(Directory.Exists(folder));
        await stream.DisposeAsync();
    }

    [Fact]
    public async Task TheProcessReadsCassetteEngineVariablesTheCommandLineWinsAndSigtermStopsIt()
    {
        if (OperatingSystem.IsWindows()) return; // SIGTERM is how Unix service managers stop it; Windows has no equivalent here.
        var info = EngineProcess.StartInfo(null, "--Workers", "1");
        info.Environment["CASSETTE_ENGINE_ApiKey"] = "from-environment";
        info.Environment["CASSETTE_ENGINE_Workers"] = "7";
        info.Environment["CASSETTE_ENGINE_ProcessingSeconds"] = "600";
        using var engine = EngineProcess.Start(info, null, output);
        using var client = new HttpClient { BaseAddress = engine.Url, Timeout = TestEngine.Patience };

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", "other");
        using (var refused = await client.PostAsJsonAsync(TestEngine.Music, new { prompt = "x", duration = 10 }))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", "from-environment");
        using var first = await client.PostAsJsonAsync(TestEngine.Music, new { prompt = "x", duration = 10 });
        using var second = await client.PostAsJsonAsync(TestEngine.Music, new { prompt = "x", duration = 10 });
        var queued = await Json.ReadAsync(second);
        // The environment's processing time holds the first request; --Workers 1 beat CASSETTE_ENGINE_Workers=7,
        // so the second waits.
        var deadline = DateTime.UtcNow + TestEngine.Patience;
        while (!await IsRunningAsync(client, await Json.ReadAsync(first)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the first request never started");
            await Task.Delay(20);
        }
        Assert.Equal("IN_QUEUE", (await Json.ReadAsync(await client.GetAsync(queued.Url("status_url")))).Str("status"));

        Assert.True(engine.Terminate(), "the engine did not stop on SIGTERM");
        Assert.Equal(0, engine.ExitCode);
    }

    [Fact]
    public async Task InvalidStartUpFaultsStopTheEngineWithAClearMessage()
    {
        var info = EngineProcess.StartInfo(null, "--Faults", """[{"target":"nowhere","kind":"http","status":500}]""");
        using var process = Process.Start(info)!;
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("target must be one of", errors);
    }

    private static async Task<bool> IsRunningAsync(HttpClient client, System.Text.Json.JsonElement submitted) =>
        (await Json.ReadAsync(await client.GetAsync(submitted.Url("status_url")))).Str("status") == "IN_PROGRESS";
}
