using Cassette.Cmdlets;
using Cassette.Journal;

namespace Cassette.Tests;

/// <summary>-BatchName's journal lookups: items numbered among identical ones, the latest submission of an item standing.</summary>
public sealed class BatchJournalTests : IDisposable
{
    private const string Music = "CassetteAI/music-generator";
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-batch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RequestJournal NewJournal() => new(Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".jsonl"));

    private static CassetteRequest Job(string id, string prompt) =>
        new(id, Music, new Uri("http://127.0.0.1:1/"), queuePosition: 0, prompt: prompt, duration: 10, estimatedCost: 0.0033m,
            submittedAt: DateTimeOffset.UtcNow, updatedAt: DateTimeOffset.UtcNow);

    private static BatchItemKey Item(string prompt, int occurrence, string batch = "b") => new(batch, Music, prompt, 10, occurrence);

    [Fact]
    public void IdenticalItemsAreNumberedInInputOrderAndFoundByTheirPlace()
    {
        var journal = NewJournal();
        journal.RecordSubmission(Job("first", "same"), Item("same", 1));
        journal.RecordSubmission(Job("second", "same"), Item("same", 2));
        journal.RecordSubmission(Job("plain", "same"));
        journal.RecordSubmission(Job("elsewhere", "same"), Item("same", 3, batch: "other"));

        var plan = new BatchPlan("b", journal);
        Assert.Equal("first", plan.Next(Music, "same", 10).Reuse?.RequestId);
        Assert.Equal("second", plan.Next(Music, "same", 10).Reuse?.RequestId);
        var third = plan.Next(Music, "same", 10);
        Assert.Null(third.Reuse);
        Assert.Equal(3, third.Item.Occurrence);
        // Another duration is another item; the model is matched as fal matches it, case-insensitively.
        Assert.Null(plan.Next(Music, "same", 11).Reuse);
        Assert.Equal("first", new BatchPlan("b", journal).Next(Music.ToLowerInvariant(), "same", 10).Reuse?.RequestId);
    }

    [Fact]
    public void AFailedOrCancelledItemIsSubmittedAgainAndItsNewRequestStands()
    {
        var journal = NewJournal();
        journal.RecordSubmission(Job("cancelled", "p"), Item("p", 1));
        journal.RecordStatus("cancelled", CassetteRequest.Cancelled, null, "stopped", "client_cancelled");
        Assert.Null(new BatchPlan("b", journal).Next(Music, "p", 10).Reuse);

        journal.RecordSubmission(Job("again", "p"), Item("p", 1));
        journal.RecordStatus("again", CassetteRequest.Completed, new Uri("http://127.0.0.1:1/files/again.wav"), null, null);
        var reuse = new BatchPlan("b", journal).Next(Music, "p", 10).Reuse;
        Assert.Equal("again", reuse?.RequestId);
        Assert.Equal("http://127.0.0.1:1/files/again.wav", reuse?.Track?.AudioUrl.AbsoluteUri);
    }

    [Fact]
    public void TheBatchFieldsAreAdditiveAndOlderLinesStillRead()
    {
        var journal = NewJournal();
        File.WriteAllText(journal.Path,
            "{\"v\":1,\"event\":\"submitted\",\"request_id\":\"old\",\"model\":\"CassetteAI/music-generator\",\"prompt\":\"p\",\"duration\":10,\"queue_url\":\"http://127.0.0.1:1/\",\"at\":\"2026-01-01T00:00:00Z\"}\n");
        journal.RecordSubmission(Job("new", "p"), Item("p", 1));
        Assert.Equal(new[] { "new", "old" }, journal.ReadAll().Select(j => j.RequestId).OrderBy(id => id == "old"));
        Assert.Contains("\"batch\":\"b\",\"batch_item\":1", File.ReadAllLines(journal.Path)[1]);
        Assert.Equal("new", Assert.Single(journal.ReadBatch("b")).Value.RequestId);
    }
}
