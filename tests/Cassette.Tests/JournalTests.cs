using Cassette.Journal;

namespace Cassette.Tests;

public sealed class JournalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-journal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CassetteRequest Job(string id, DateTimeOffset at) =>
        new(id, "CassetteAI/music-generator", new Uri("http://127.0.0.1:1/"), queuePosition: 0, prompt: "prompt " + id, duration: 10,
            estimatedCost: 0.0033m, submittedAt: at, updatedAt: at);

    [Fact]
    public void ManyThreadsAppendingAtOnceLoseNothing()
    {
        var journal = new RequestJournal(Path.Combine(_folder, "journal.jsonl"));
        var start = DateTimeOffset.UtcNow;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => journal.RecordSubmission(Job("r" + i, start.AddMilliseconds(i))));
        var all = journal.ReadAll();
        Assert.Equal(200, all.Count);
        Assert.Equal("r199", all[0].RequestId);
        Assert.Equal(200, File.ReadAllLines(journal.Path!).Length);
    }

    [Fact]
    public void TheLastStatusWinsAndACompletedRequestKeepsItsAudioUrl()
    {
        var journal = new RequestJournal(Path.Combine(_folder, "journal.jsonl"));
        journal.RecordSubmission(Job("a", DateTimeOffset.UtcNow));
        journal.RecordStatus("a", CassetteRequest.Completed, new Uri("http://127.0.0.1:1/files/a.wav"), null, null);
        var job = Assert.Single(journal.ReadAll());
        Assert.Equal(CassetteRequest.Completed, job.Status);
        Assert.Equal("http://127.0.0.1:1/files/a.wav", job.Track!.AudioUrl.AbsoluteUri);
        Assert.Equal("prompt a", job.Track.Prompt);
    }

    [Fact]
    public void ALineCutShortByACrashDoesNotSwallowTheNextOne()
    {
        var journal = new RequestJournal(Path.Combine(_folder, "journal.jsonl"));
        journal.RecordSubmission(Job("before", DateTimeOffset.UtcNow));
        File.AppendAllText(journal.Path!, "{\"v\":1,\"event\":\"submitted\",\"request_id\":\"torn");
        journal.RecordSubmission(Job("after", DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Equal(new[] { "after", "before" }, journal.ReadAll().Select(j => j.RequestId));
    }

    [Fact]
    public void TheLocationComesFromTheParameterThenTheEnvironmentThenTheDefault()
    {
        Assert.Equal(Path.Combine(_folder, "p.jsonl"), RequestJournal.Resolve(Path.Combine(_folder, "p.jsonl")).Path);
        Assert.EndsWith(Path.Combine("Cassette", "journal.jsonl"), RequestJournal.DefaultPath);
    }
}
