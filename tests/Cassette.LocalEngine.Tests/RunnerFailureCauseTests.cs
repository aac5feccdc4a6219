using Cassette.LocalEngine.Queue;
using Cassette.LocalEngine.Storage;
using Microsoft.Extensions.Logging;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// Issue 18: the ways a render that nobody cancelled can end in runner_server_error, or never end, each replayed on
/// purpose (docs/local-engine.md, "Runner failures", lists what each test rules in or out).
/// </summary>
public class RunnerFailureCauseTests
{
    [LinuxFact]
    public async Task ARenderThatHitsAFullDiskIsLoggedAsTheDiskNotAsAnEngineBug()
    {
        await using var runner = new RunnerHarness();
        await runner.StartAsync();
        string id = Guid.NewGuid().ToString();
        // Every write to /dev/full fails with ENOSPC, as a write to a full disk does.
        File.CreateSymbolicLink(runner.Files.PartialPathFor(id), "/dev/full");

        var request = await RunnerHarness.CompletedAsync(runner.Enqueue(id, prompt: "a full disk", seed: 5));

        Assert.Equal(500, request.ResultStatusCode);
        Assert.Equal("runner_server_error", request.ErrorType);
        var logged = Assert.Single(runner.LinesAt(LogLevel.Error));
        Assert.Contains($"Request {id} failed: the storage folder {runner.Folder} is out of space or file handles", logged);
        Assert.Contains("not the engine's bug", logged);
        Assert.Contains("prompt \"a full disk\", seed 5, duration 10 s", logged);
        Assert.Contains("System.IO.IOException", logged);
        Assert.False(File.Exists(runner.Files.PathFor(id)));
    }

    [Theory]
    [InlineData(28)] // ENOSPC on Linux and macOS
    [InlineData(122)] // EDQUOT on Linux
    [InlineData(24)] // EMFILE
    [InlineData(23)] // ENFILE
    [InlineData(unchecked((int)0x80070070))] // ERROR_DISK_FULL on Windows
    [InlineData(unchecked((int)0x80070027))] // ERROR_HANDLE_DISK_FULL
    [InlineData(unchecked((int)0x80070004))] // ERROR_TOO_MANY_OPEN_FILES
    public void OutOfSpaceAndOutOfHandlesAreTheMachinesNotTheEngines(int hresult)
    {
        Assert.True(StorageExhaustion.Is(new IOException("any", hresult)));
        Assert.True(StorageExhaustion.Is(new InvalidOperationException("wrapped", new IOException("any", hresult))));
    }

    [Fact]
    public void OtherFailuresStayTheEnginesOwn()
    {
        Assert.False(StorageExhaustion.Is(new FileNotFoundException("gone")));
        Assert.False(StorageExhaustion.Is(new IOException("sharing violation", 11)));
        Assert.False(StorageExhaustion.Is(new IndexOutOfRangeException()));
    }

    [Fact]
    public async Task ARequestWhoseIndexEntryCannotBeWrittenStillCompletesWithItsAudio()
    {
        await using var runner = new RunnerHarness();
        await runner.StartAsync();
        string id = Guid.NewGuid().ToString();
        // A directory where the index entry's temporary file goes: writing it fails with "access denied".
        Directory.CreateDirectory(runner.Files.IndexPathFor(id) + FileStore.PartialExtension);

        var request = await RunnerHarness.CompletedAsync(runner.Enqueue(id));

        Assert.Equal(200, request.ResultStatusCode);
        Assert.True(request.Succeeded);
        Assert.True(File.Exists(runner.Files.PathFor(id)));
        Assert.Empty(runner.LinesAt(LogLevel.Error));
        Assert.Contains(runner.LinesAt(LogLevel.Warning), line => line.Contains($"Request {id} could not be written to the index"));
    }

    [Fact]
    public async Task ACompletionSubscriberThatThrowsNeitherLeavesTheRequestInProgressNorDeletesItsAudio()
    {
        await using var runner = new RunnerHarness();
        runner.Queue.Completing += (_, _) => throw new InvalidOperationException("a subscriber's bug");
        await runner.StartAsync();
        string id = Guid.NewGuid().ToString();

        var request = await RunnerHarness.CompletedAsync(runner.Enqueue(id));

        Assert.True(request.Succeeded, "the outcome was decided before the subscriber threw");
        // The worker logs the exception after the request became visible; stopping waits for the worker.
        await runner.StopAsync();
        Assert.True(File.Exists(runner.Files.PathFor(id)), "a request that reads COMPLETED with audio must keep its file");
        var logged = Assert.Single(runner.LinesAt(LogLevel.Error));
        Assert.Contains("a subscriber's bug", logged);
    }

    [Fact]
    public async Task ASecondEngineOnAStorageFolderInUseIsRefusedInsteadOfDeletingTheFirstOnesRenderInFlight()
    {
        // The looped clip makes the render a quick file write; the hour of server time then holds the finished
        // .partial file in the folder, where a second engine's start-up used to delete it as a leftover, so the
        // first engine's move into place failed with FileNotFoundException: runner_server_error.
        await using var runner = new RunnerHarness(new EngineOptions { BenchmarkAudio = true, ProcessingSeconds = 3600 });
        await runner.StartAsync();
        var request = runner.Enqueue(Guid.NewGuid().ToString());
        await ServerTimeStartedAsync(request);

        var refused = Assert.Throws<InvalidOperationException>(() =>
            new FileStore(Microsoft.Extensions.Options.Options.Create(new EngineOptions { StorageFolder = runner.Files.Folder })));
        Assert.Contains("--StorageFolder", refused.Message);
        Assert.Contains("in use by another running engine", refused.Message);
        Assert.True(File.Exists(runner.Files.PartialPathFor(request.Id)), "the render in flight keeps its file");

        // Only a cancel ends the hour early, and it ends as a cancellation, not a runner failure.
        runner.Queue.Cancel(request);
        await RunnerHarness.CompletedAsync(request);
        Assert.Equal("client_cancelled", request.ErrorType);
        Assert.Empty(runner.LinesAt(LogLevel.Error));
    }

    [Fact]
    public void AStorageFolderIsFreeAgainOnceItsEngineLetsGoOfIt()
    {
        string folder = Directory.CreateTempSubdirectory("cassette-lock-").FullName;
        try
        {
            var options = Microsoft.Extensions.Options.Options.Create(new EngineOptions { StorageFolder = folder });
            new FileStore(options).Dispose();
            using var restarted = new FileStore(options);
            Assert.Equal(folder, restarted.Folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The render is written and the runner holds the request for its server time (a progress line says so).</summary>
    private static async Task ServerTimeStartedAsync(QueuedRequest request)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (request.Logs.Any(entry => entry.Message.StartsWith("Generating: ", StringComparison.Ordinal))) started.TrySetResult();
        }
        request.Changed += Check;
        try
        {
            Check();
            await started.Task.WaitAsync(RunnerHarness.Patience);
        }
        finally
        {
            request.Changed -= Check;
        }
    }
}

/// <summary>A fact that needs Linux (its /dev/full, say); skipped elsewhere, and says so.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux";
    }
}
