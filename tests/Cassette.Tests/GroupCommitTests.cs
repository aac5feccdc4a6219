using System.Text;
using Cassette.Journal;
using Cassette.Tests.Jobs;

namespace Cassette.Tests;

/// <summary>Journal appends arriving while one is written go out together, with one flush to the disk for the group.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task LinesArrivingDuringAWriteGoOutTogetherInOrderWithOneFlush()
    {
        var commit = new GroupCommit();
        var groups = new List<(string[] Lines, bool Durable)>();
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        void Write(IReadOnlyList<byte[]> lines, bool durable)
        {
            lock (groups) groups.Add((lines.Select(l => Encoding.UTF8.GetString(l)).ToArray(), durable));
            firstStarted.Set();
            // Only the first write waits: it holds the file while the others arrive.
            releaseFirst.Wait(TimeSpan.FromSeconds(30));
        }

        var first = Task.Run(() => commit.Append(Encoding.UTF8.GetBytes("first\n"), flushToDisk: false, Write));
        Assert.True(firstStarted.Wait(TimeSpan.FromSeconds(30)));
        var others = Enumerable.Range(0, 10).Select(i => Task.Run(() => commit.Append(Encoding.UTF8.GetBytes($"line {i}\n"), flushToDisk: i == 3, Write))).ToArray();
        // Every other line is queued behind the first write before it ends.
        Eventually.True(() => commit.WaitingCount == 10, "ten lines to wait for the first write");
        releaseFirst.Set();
        await Task.WhenAll(others.Append(first)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, groups.Count);
        Assert.Equal(new[] { "first\n" }, groups[0].Lines);
        Assert.False(groups[0].Durable);
        Assert.Equal(10, groups[1].Lines.Length);
        Assert.True(groups[1].Durable, "one line of the group asked for the disk");
    }

    [Fact]
    public async Task AnAsynchronousCallerWaitsForTheWriteUnderWayWithoutHoldingItsThread()
    {
        var commit = new GroupCommit();
        var groups = new List<string[]>();
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        void Write(IReadOnlyList<byte[]> lines, bool durable)
        {
            lock (groups) groups.Add(lines.Select(l => Encoding.UTF8.GetString(l)).ToArray());
            firstStarted.Set();
            releaseFirst.Wait(TimeSpan.FromSeconds(30));
        }

        var first = Task.Run(() => commit.Append(Encoding.UTF8.GetBytes("first\n"), flushToDisk: true, Write));
        Assert.True(firstStarted.Wait(TimeSpan.FromSeconds(30)));
        // Called on the test's own thread: it must come back at once, its line queued, while the first write still runs.
        var second = commit.AppendAsync(Encoding.UTF8.GetBytes("second\n"), flushToDisk: true, Write);
        var third = commit.AppendAsync(Encoding.UTF8.GetBytes("third\n"), flushToDisk: false, Write);
        Assert.False(second.IsCompleted);
        Assert.Equal(2, commit.WaitingCount);
        releaseFirst.Set();
        await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new[] { new[] { "first\n" }, new[] { "second\n", "third\n" } }, groups);
        // With nothing under way, the caller writes its own line before AppendAsync returns.
        var alone = commit.AppendAsync(Encoding.UTF8.GetBytes("alone\n"), flushToDisk: false, Write);
        Assert.True(alone.IsCompletedSuccessfully);
        Assert.Equal(3, groups.Count);
    }

    [Fact]
    public async Task EveryCallerOfAFailedGroupHearsOfTheFailure()
    {
        var commit = new GroupCommit();
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        int writes = 0;
        void Write(IReadOnlyList<byte[]> lines, bool durable)
        {
            if (Interlocked.Increment(ref writes) == 1)
            {
                firstStarted.Set();
                releaseFirst.Wait(TimeSpan.FromSeconds(30));
                return;
            }
            throw new CassetteException(CassetteErrors.JournalUnavailable, "disk full");
        }

        var first = Task.Run(() => commit.Append(new byte[] { 1 }, false, Write));
        Assert.True(firstStarted.Wait(TimeSpan.FromSeconds(30)));
        var failing = Enumerable.Range(0, 4).Select(_ => Task.Run(() => commit.Append(new byte[] { 2 }, true, Write))).ToArray();
        Eventually.True(() => commit.WaitingCount == 4, "four lines to wait for the first write");
        releaseFirst.Set();
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var task in failing)
        {
            var failure = await Assert.ThrowsAsync<CassetteException>(() => task.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(CassetteErrors.JournalUnavailable, failure.Error);
        }
        Assert.Equal(2, writes);
    }
}
