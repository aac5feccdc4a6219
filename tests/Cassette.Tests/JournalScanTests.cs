using System.Text;
using Cassette.Journal;

namespace Cassette.Tests;

/// <summary>The journal read from its end: the same answers as a read of the whole file, for a fraction of the reading.</summary>
public sealed class JournalScanTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-journal-scan-").FullName;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RequestJournal NewJournal() => new(Path.Combine(_folder, "journal.jsonl"));

    private static CassetteRequest Request(string id, DateTimeOffset at, string? prompt = null) =>
        new(id, "CassetteAI/music-generator", new Uri("http://127.0.0.1:1/"), queuePosition: 0, prompt: prompt ?? "prompt " + id, duration: 10,
            estimatedCost: 0.0033m, submittedAt: at, updatedAt: at);

    /// <summary>An in-memory file read through the reader's callback, counting the bytes it was asked for.</summary>
    private sealed class CountingFile(byte[] content)
    {
        public long BytesRead { get; private set; }

        public long Read(long position, byte[] buffer, int offset, int count)
        {
            Array.Copy(content, position, buffer, offset, count);
            BytesRead += count;
            return content.Length;
        }
    }

    private static string[] LinesOf(byte[] content) =>
        BackwardLineReader.Lines(new CountingFile(content).Read).Select(segment => Encoding.UTF8.GetString(segment.Array!, segment.Offset, segment.Count)).ToArray();

    [Fact]
    public void LinesComeLastToFirstAcrossBlocksWhateverTheirLength()
    {
        // Lines shorter than, equal to and much longer than a block, an empty line, no final newline.
        var lines = new List<string>();
        var random = new Random(16);
        for (int i = 0; i < 400; i++) lines.Add(i + ":" + new string((char)('a' + i % 26), random.Next(0, i % 50 == 0 ? 100_000 : 300)));
        string text = string.Join("\n", lines.Take(200)) + "\n\n" + string.Join("\r\n", lines.Skip(200));
        var read = LinesOf(Encoding.UTF8.GetBytes(text));
        var expected = lines.Take(200).Concat(lines.Skip(200).Take(199).Select(l => l + "\r")).Append(lines[399]).Reverse().ToArray();
        Assert.Equal(expected, read);
    }

    [Fact]
    public void AByteOrderMarkBeforeTheFirstLineIsNotPartOfIt()
    {
        var read = LinesOf(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("first\nsecond\n")).ToArray());
        Assert.Equal(new[] { "second", "first" }, read);
    }

    [Fact]
    public void TheNewestEntriesOfALargeJournalCostOnlyTheEndOfTheFile()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            string at = Start.AddSeconds(i * 100).ToString("o");
            text.Append($"{{\"v\":1,\"event\":\"submitted\",\"request_id\":\"r{i}\",\"model\":\"CassetteAI/music-generator\",\"queue_url\":\"http://127.0.0.1:1/\",\"at\":\"{at}\"}}\n");
            text.Append($"{{\"v\":1,\"event\":\"status\",\"request_id\":\"r{i}\",\"status\":\"Completed\",\"audio_url\":\"http://127.0.0.1:1/files/r{i}.wav\",\"at\":\"{at}\"}}\n");
        }
        byte[] content = Encoding.UTF8.GetBytes(text.ToString());
        var file = new CountingFile(content);

        var newest = JournalScan.NewestFirst(BackwardLineReader.Lines(file.Read)).Take(20).Select(e => e.ToRequest()).ToArray();

        Assert.Equal(Enumerable.Range(19_980, 20).Reverse().Select(i => "r" + i), newest.Select(r => r.RequestId));
        Assert.All(newest, r => Assert.Equal(CassetteRequest.Completed, r.Status));
        Assert.True(file.BytesRead < 64 * 1024, $"Read {file.BytesRead} bytes of {content.Length} for 20 entries.");
    }

    [Fact]
    public void EntriesWrittenOutOfSubmissionOrderComeOutInSubmissionOrder()
    {
        var journal = NewJournal();
        // Written in the order writers got the lock, not the order of their submissions (seconds apart at most).
        int[] seconds = [3, 1, 2, 0, 7, 5, 6, 4];
        foreach (int s in seconds) journal.RecordSubmission(Request("r" + s, Start.AddSeconds(s)));
        // A tie: written first, listed first, as a stable sort of the whole file lists it.
        journal.RecordSubmission(Request("tie-first", Start.AddSeconds(10)));
        journal.RecordSubmission(Request("tie-second", Start.AddSeconds(10)));

        Assert.Equal(new[] { "tie-first", "tie-second", "r7", "r6", "r5", "r4", "r3", "r2", "r1", "r0" }, journal.ReadAll().Select(r => r.RequestId));
    }

    [Fact]
    public void ARequestIsItsLastSubmissionWithTheStatusesWrittenAfterIt()
    {
        var journal = NewJournal();
        journal.RecordSubmission(Request("a", Start, "first try"));
        journal.RecordStatus("a", CassetteRequest.Failed, null, "boom", "internal");
        journal.RecordSubmission(Request("b", Start.AddSeconds(1)));
        journal.RecordSubmission(Request("a", Start.AddSeconds(2), "written again"));
        journal.RecordStatus("a", CassetteRequest.Completed, new Uri("http://127.0.0.1:1/files/a.wav"), null, null);
        journal.RecordStatus("a", CassetteRequest.Completed, null, null, null);

        foreach (var a in new[] { journal.Find("a")!, journal.ReadAll().Single(r => r.RequestId == "a") })
        {
            Assert.Equal("written again", a.Prompt);
            Assert.Equal(CassetteRequest.Completed, a.Status);
            Assert.Null(a.Error);
            Assert.Equal("http://127.0.0.1:1/files/a.wav", a.Track!.AudioUrl.AbsoluteUri);
        }
        Assert.Equal(new[] { "a", "b" }, journal.ReadAll().Select(r => r.RequestId));
        Assert.Equal(CassetteRequest.InQueue, journal.Find("b")!.Status);
        Assert.Null(journal.Find("c"));
        Assert.Null(journal.Find("\"request_id\""));
    }

    [Fact]
    public void AStatusWrittenBeforeAnySubmissionOfItsRequestIsIgnored()
    {
        var journal = NewJournal();
        journal.RecordStatus("a", CassetteRequest.Completed, new Uri("http://127.0.0.1:1/files/a.wav"), null, null);
        journal.RecordSubmission(Request("a", Start));
        Assert.Equal(CassetteRequest.InQueue, journal.Find("a")!.Status);
        Assert.Equal(CassetteRequest.InQueue, Assert.Single(journal.ReadAll()).Status);
    }

    [Fact]
    public void AWriterIsNotKeptOutByAReaderThatStopsHalfWay()
    {
        var journal = NewJournal();
        for (int i = 0; i < 2000; i++) journal.RecordSubmission(Request("r" + i, Start.AddSeconds(i * 100)));
        using var reading = journal.ReadNewestFirst().GetEnumerator();
        Assert.True(reading.MoveNext());
        // The reader holds no handle (and so no shared lock) between blocks; if it did, this append would wait out the
        // lock timeout and fail with JournalUnavailable.
        journal.RecordSubmission(Request("during", Start.AddDays(365)));
        Assert.Equal("during", journal.ReadAll()[0].RequestId);
    }

    [Fact]
    public void AnUnusableLineIsSkippedWithOneWarningNamingItsLineNumberButATornLastLineIsNot()
    {
        var journal = NewJournal();
        journal.RecordSubmission(Request("first", Start));
        string good = File.ReadAllText(journal.Path!);
        // Line 2 is not JSON, line 3 is blank, line 4 a cost no decimal holds, line 6 a torn append (no '\n' yet).
        File.AppendAllText(journal.Path!, "{\"v\":1,\"event\n\n" + good.Replace("first", "bad").Replace("0.0033", "1e30"));
        journal.RecordSubmission(Request("second", Start.AddSeconds(1)));
        File.AppendAllText(journal.Path!, "{\"v\":1,\"event\":\"submit");

        var warnings = new List<string>();
        Assert.Equal(new[] { "second", "first" }, journal.ReadAll(warnings.Add).Select(r => r.RequestId));
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("Line 4 of the journal '" + journal.Path + "' was skipped: its estimated_cost", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Line 2 of the journal '" + journal.Path + "' was skipped: it is not JSON", StringComparison.Ordinal));
        Assert.Equal(CassetteRequest.InQueue, journal.Find("second", warnings.Add)!.Status);
        Assert.Equal(2, warnings.Count);
    }

    [Fact]
    public void BytesThatAreNotUtf8InsideATextAreReadAsReplacementCharacters()
    {
        var journal = NewJournal();
        journal.RecordSubmission(Request("r", Start, "PROMPT"));
        byte[] bytes = File.ReadAllBytes(journal.Path!);
        int at = Encoding.UTF8.GetString(bytes).IndexOf("PROMPT", StringComparison.Ordinal);
        bytes[at] = 0xFF;
        File.WriteAllBytes(journal.Path!, bytes);
        var warnings = new List<string>();
        Assert.Equal("\uFFFDROMPT", Assert.Single(journal.ReadAll(warnings.Add)).Prompt);
        Assert.Empty(warnings);
    }
}
