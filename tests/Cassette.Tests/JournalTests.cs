using Cassette.Journal;

namespace Cassette.Tests;

public sealed class JournalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-journal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CassetteJob Job(string id, DateTimeOffset at) =>
        new(id, CassetteJob.InQueue, 0, "CassetteAI/music-generator", "prompt " + id, 10, 0.0033m, new Uri("http://127.0.0.1:1/"), at, at,
            null, null, null, null, null, null, null, null);

    [Fact]
    public void ManyThreadsAppendingAtOnceLoseNothing()
    {
        var journal = new JobJournal(Path.Combine(_folder, "journal.jsonl"));
        var start = DateTimeOffset.UtcNow;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => journal.RecordSubmission(Job("r" + i, start.AddMilliseconds(i))));
        var all = journal.ReadAll();
        Assert.Equal(200, all.Count);
        Assert.Equal("r199", all[0].RequestId);
        Assert.Equal(200, File.ReadAllLines(journal.Path).Length);
    }

    [Fact]
    public void TheLastStatusWinsAndACompletedRequestKeepsItsAudioUrl()
    {
        var journal = new JobJournal(Path.Combine(_folder, "journal.jsonl"));
        journal.RecordSubmission(Job("a", DateTimeOffset.UtcNow));
        journal.RecordStatus("a", CassetteJob.Completed, new Uri("http://127.0.0.1:1/files/a.wav"), null, null);
        var job = Assert.Single(journal.ReadAll());
        Assert.Equal(CassetteJob.Completed, job.Status);
        Assert.Equal("http://127.0.0.1:1/files/a.wav", job.Track!.AudioUrl.AbsoluteUri);
        Assert.Equal("prompt a", job.Track.Prompt);
    }

    [Fact]
    public void ALineCutShortByACrashDoesNotSwallowTheNextOne()
    {
        var journal = new JobJournal(Path.Combine(_folder, "journal.jsonl"));
        journal.RecordSubmission(Job("before", DateTimeOffset.UtcNow));
        File.AppendAllText(journal.Path, "{\"v\":1,\"event\":\"submitted\",\"request_id\":\"torn");
        journal.RecordSubmission(Job("after", DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Equal(new[] { "after", "before" }, journal.ReadAll().Select(j => j.RequestId));
    }

    [Fact]
    public void TheLocationComesFromTheParameterThenTheEnvironmentThenTheDefault()
    {
        Assert.Equal(Path.Combine(_folder, "p.jsonl"), JobJournal.Resolve(Path.Combine(_folder, "p.jsonl")).Path);
        Assert.EndsWith(Path.Combine("Cassette", "journal.jsonl"), JobJournal.DefaultPath);
    }
}
