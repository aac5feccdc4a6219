using System.Net;
using System.Net.Sockets;
using Cassette.LocalEngine.Storage;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// Issue 18: a whole engine process under a low `ulimit -n`, flooded with idle connections. Before the connection cap,
/// the flood filled the handle table; on Linux .NET then cannot start a thread, and the first time the thread pool
/// wanted one the runtime aborted the engine ("Out of memory.", SIGABRT), losing every request in flight. Now the
/// connections over the cap are closed at once, and the engine keeps rendering.
/// </summary>
public class FileHandleExhaustionTests(ITestOutputHelper output)
{
    /// <summary>Well above the ~200 handles a rendering engine holds (its assemblies stay open), well below the flood.</summary>
    private const int EngineHandleLimit = 600;
    private const int FloodConnections = 700;
    private const string KestrelRejection = "the maximum number of concurrent connections has been reached";

    [HandleLimitFact]
    public async Task AFloodOfIdleConnectionsCannotTakeTheHandlesTheRendersNeed()
    {
        await using var engine = await TestEngine.StartBehindAsync(output,
            ["prlimit", $"--nofile={EngineHandleLimit}:{EngineHandleLimit}", "--"], "--Workers", "4");
        // The test's client talks over the one connection it opens now, before the flood: a new one would be refused too.
        var first = await engine.SubmitAsync(new { prompt = "before the flood", duration = 10, seed = 1 });
        Assert.Equal("COMPLETED", (await engine.WaitForCompletionAsync(first)).Str("status"));

        var flood = new List<Socket>();
        try
        {
            for (int i = 0; i < FloodConnections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                flood.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, engine.BaseUrl.Port);
            }
            await LogShowsAsync(engine, KestrelRejection);

            // Renders need handles of their own (the audio file, a thread): four at once, while the flood is held.
            var submitted = new List<System.Text.Json.JsonElement>();
            for (int i = 0; i < 4; i++)
                submitted.Add(await engine.SubmitAsync(new { prompt = $"during the flood {i}", duration = 10, seed = i }));
            foreach (var request in submitted)
                await AssertSucceededAsync(engine, request);
            Assert.False(engine.HasExited, "the engine must survive the flood");
        }
        finally
        {
            foreach (var socket in flood) socket.Dispose();
        }

        // Once the flood is gone a new client (a new connection) is served again.
        using var fresh = new HttpClient { BaseAddress = engine.BaseUrl, Timeout = TestEngine.Patience };
        fresh.DefaultRequestHeaders.Authorization = engine.Client.DefaultRequestHeaders.Authorization;
        await WaitUntilAcceptedAsync(fresh, engine);
        var after = await engine.SubmitAsync(new { prompt = "after the flood", duration = 10, seed = 9 });
        await AssertSucceededAsync(engine, after);
    }

    [Fact]
    public void AThreadThatCouldNotStartForWantOfHandlesIsTheMachinesFailure()
    {
        // What Task.Factory.StartNew(LongRunning) throws on Linux when the handle table is full.
        var threadStart = new TaskSchedulerException(new OutOfMemoryException());
        Assert.True(StorageExhaustion.Is(threadStart, handlesExhausted: () => true));
        Assert.False(StorageExhaustion.Is(threadStart, handlesExhausted: () => false), "with handles left it is not the table's fault");
        Assert.False(StorageExhaustion.Is(new InvalidOperationException("a bug"), handlesExhausted: () => true));
    }

    [LinuxFact]
    public void TheConnectionCapIsAThirdOfTheFreeHandles()
    {
        long limit = ProcessHandles.SoftLimit() ?? throw new Xunit.Sdk.XunitException("/proc/self/limits was not read");
        int open = ProcessHandles.CountOpen() ?? throw new Xunit.Sdk.XunitException("/proc/self/fd was not counted");
        long? cap = ProcessHandles.ConnectionCap();
        if (limit >= int.MaxValue) { Assert.Null(cap); return; }
        Assert.NotNull(cap);
        Assert.InRange(cap.Value, 1, (limit - open) / 3 + 1);
        Assert.False(ProcessHandles.AreExhausted());
    }

    private static async Task AssertSucceededAsync(TestEngine engine, System.Text.Json.JsonElement submitted)
    {
        var status = await engine.WaitForCompletionAsync(submitted);
        Assert.Equal("COMPLETED", status.Str("status"));
        using var result = await engine.Client.GetAsync(submitted.Url("response_url"));
        Assert.True(result.StatusCode == HttpStatusCode.OK, $"result answered {(int)result.StatusCode}: {await result.Content.ReadAsStringAsync()}{Environment.NewLine}{engine.LogTail()}");
    }

    /// <summary>The engine logs each connection it refuses; its log is the only place to see the flood reached the cap.</summary>
    private static async Task LogShowsAsync(TestEngine engine, string text)
    {
        var deadline = DateTime.UtcNow + TestEngine.Patience;
        while (!engine.LogTail(int.MaxValue).Contains(text, StringComparison.Ordinal))
        {
            Assert.False(engine.HasExited, $"the engine ended under the flood:{Environment.NewLine}{engine.LogTail()}");
            Assert.True(DateTime.UtcNow < deadline, $"the flood never reached the connection cap:{Environment.NewLine}{engine.LogTail()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Closed connections leave the engine's count as it notices them: a new one may be refused for a moment.</summary>
    private static async Task WaitUntilAcceptedAsync(HttpClient client, TestEngine engine)
    {
        var deadline = DateTime.UtcNow + TestEngine.Patience;
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("_engine/none");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            Assert.False(engine.HasExited);
        }
    }
}

/// <summary>
/// A fact that starts an engine under a lower `ulimit -n`: needs Linux, `prlimit` (util-linux) and room in the test's
/// own handle table for the flood it opens; skipped elsewhere, and says which is missing.
/// </summary>
public sealed class HandleLimitFactAttribute : FactAttribute
{
    public HandleLimitFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux";
        else if (!OnPath("prlimit")) Skip = "needs prlimit (util-linux) on PATH";
        else if (ProcessHandles.SoftLimit() is { } own && own < 4096) Skip = $"needs `ulimit -n` of 4096 or more for the test's own sockets (it is {own})";
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(folder => folder.Length > 0 && File.Exists(Path.Combine(folder, command)));
}
