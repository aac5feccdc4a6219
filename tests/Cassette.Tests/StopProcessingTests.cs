using System.Management.Automation;
using Cassette.Http;
using Cassette.Journal;
using Cassette.Lifecycle;
using Cassette.Protocol;
using Cassette.TestSupport;
using Xunit.Abstractions;

namespace Cassette.Tests;

/// <summary>Ctrl+C for real: the cmdlet hosted in a runspace, its pipeline stopped while it waits on a running request.</summary>
public sealed class StopProcessingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-stop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task StoppingTheCommandCancelsTheRemoteRequestAndLeavesNoErrorRecord()
    {
        // A rule that changes nothing but counts the cancel calls the engine has answered.
        using var engine = EngineProcess.Start(output, "--Workers", "1", "--ProcessingSeconds", "120", "--EnableFaultInjection", "true",
            "--Faults", """[{"target":"cancel","kind":"delay","delayMs":1,"count":0}]""");
        string journalPath = Path.Combine(_folder, "journal.jsonl");
        var journal = new RequestJournal(journalPath);
        using var ps = PowerShellHost.Create();
        ps.AddCommand("New-CassetteTrack").AddParameter("Prompt", "stop me").AddParameter("Duration", 10)
          .AddParameter("QueueUrl", engine.Url).AddParameter("ApiKey", engine.Key).AddParameter("JournalPath", journalPath);
        var running = ps.BeginInvoke();

        var client = new FalQueueClient(new HttpClient(), engine.Url, FalApiKey.Resolve(engine.Key!), new RetryPolicy(0));
        var model = FalModelId.Parse(FalModelId.MusicGenerator);
        string requestId = await Eventually(() => journal.ReadAll().FirstOrDefault()?.RequestId);
        Assert.Equal(PSInvocationState.Running, ps.InvocationStateInfo.State);
        await Eventually(async () => (await client.GetStatusAsync(model, requestId, null, false, null, CancellationToken.None)).Status == FalStatus.InProgress ? "yes" : null);

        ps.Stop();

        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Empty(ps.Streams.Error);
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
        // The remote cancel was answered before Stop() returned...
        using var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Key " + engine.Key);
        using var rules = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(engine.Url, "_engine/faults")));
        Assert.Equal(1, rules.RootElement.GetProperty("rules")[0].GetProperty("fired").GetInt32());
        // ...and, as fal's cancel of a running request is only CANCELLATION_REQUESTED, the runner then ends it.
        await Eventually(async () => (await client.GetStatusAsync(model, requestId, null, false, null, CancellationToken.None)).IsCancelled ? "yes" : null);
        // The journal says Cancelled once fal confirmed it; a runner slower than the confirmation window leaves it for a later query.
        var entry = Assert.Single(journal.ReadAll());
        Assert.Contains(entry.Status, new[] { CassetteRequest.Cancelled, CassetteRequest.CancellationRequested });
        await new RequestLifecycle(client, journal).ReadStatusAsync(entry, false, new RecordingSink(), CancellationToken.None);
        Assert.Equal(CassetteRequest.Cancelled, Assert.Single(journal.ReadAll()).Status);
    }

    /// <summary>Polls until the probe answers; the limit only prevents a hang.</summary>
    private static async Task<string> Eventually(Func<string?> probe) => await Eventually(() => Task.FromResult(probe()));

    private static async Task<string> Eventually(Func<Task<string?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is string value) return value;
            }
            catch (IOException)
            {
                // The journal is being written; look again.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The condition was not met within 60 s.");
    }
}
