using System.Management.Automation;
using Cassette.Lifecycle;
using Cassette.Jobs;

namespace Cassette.Tests.Jobs;

/// <summary>What a child job's streams keep: new progress only, capped progress and verbose, everything else whole.</summary>
public sealed class JobStreamSinkTests
{
    /// <summary>A job whose streams the sink writes to, run by nobody: only its collections matter here.</summary>
    private sealed class StreamsOnly : Job
    {
        public override string StatusMessage => string.Empty;
        public override bool HasMoreData => false;
        public override string Location => string.Empty;
        public override void StopJob() { }
    }

    private static ActivityProgress Snapshot(ActivityPhase phase, int? position = null) =>
        new(7, "Generating 10 s: test", phase, "req-1", position, DateTimeOffset.UtcNow);

    [Fact]
    public void RecordsProgressOnlyWhenItSaysSomethingNew()
    {
        using var job = new StreamsOnly();
        int updates = 0;
        var sink = new JobStreamSink(job, "New-CassetteTrack", () => updates++);
        sink.Progress(Snapshot(ActivityPhase.InQueue, 2));
        sink.Progress(Snapshot(ActivityPhase.InQueue, 2));
        sink.Progress(Snapshot(ActivityPhase.InQueue, 1));
        sink.Progress(Snapshot(ActivityPhase.InProgress));
        sink.Progress(Snapshot(ActivityPhase.InProgress));

        Assert.Equal(3, job.Progress.Count);
        Assert.StartsWith("In the queue: 2 requests ahead", job.Progress[0].StatusDescription);
        Assert.StartsWith("Generating", job.Progress[2].StatusDescription);
        Assert.Equal(ActivityPhase.InProgress, sink.Latest!.Phase);
        Assert.Equal(5, updates);
    }

    [Fact]
    public void CapsProgressAndStillClosesTheBar()
    {
        using var job = new StreamsOnly();
        var sink = new JobStreamSink(job, "New-CassetteTrack", () => { });
        for (int position = 5000; position > 0; position--) sink.Progress(Snapshot(ActivityPhase.InQueue, position));
        sink.CompleteProgress();

        Assert.Equal(JobStreamSink.MaxProgressRecords, job.Progress.Count);
        Assert.Equal(ProgressRecordType.Completed, job.Progress[job.Progress.Count - 1].RecordType);
        Assert.Equal(7, job.Progress[job.Progress.Count - 1].ActivityId);
        Assert.Equal(1, sink.Latest!.QueuePosition);
    }

    [Fact]
    public void CapsVerboseWithANoteButKeepsEveryWarningAndLogLine()
    {
        using var job = new StreamsOnly();
        var sink = new JobStreamSink(job, "New-CassetteTrack", () => { });
        for (int i = 0; i < 1000; i++)
        {
            sink.Verbose($"verbose {i}");
            sink.Warning($"warning {i}");
            sink.Information(new CassetteLogEntry(DateTimeOffset.UtcNow, "INFO", $"log {i}", "req-1"));
        }

        Assert.Equal(JobStreamSink.MaxVerboseRecords, job.Verbose.Count);
        Assert.Equal("verbose 198", job.Verbose[198].Message);
        Assert.Contains("not kept", job.Verbose[JobStreamSink.MaxVerboseRecords - 1].Message);
        Assert.Equal(1000, job.Warning.Count);
        Assert.Equal(1000, job.Information.Count);
        Assert.Equal("New-CassetteTrack", job.Information[0].Source);
    }

    [Fact]
    public void WritingToClosedStreamsIsDroppedQuietly()
    {
        using var job = new StreamsOnly();
        var sink = new JobStreamSink(job, "New-CassetteTrack", () => { });
        job.Progress.Complete();
        job.Verbose.Complete();
        job.Warning.Complete();
        job.Information.Complete();

        sink.Progress(Snapshot(ActivityPhase.InProgress));
        sink.Verbose("late");
        sink.Warning("late");
        sink.Information(new CassetteLogEntry(DateTimeOffset.UtcNow, "INFO", "late", "req-1"));
        sink.CompleteProgress();

        Assert.Empty(job.Verbose);
        Assert.Equal(ActivityPhase.InProgress, sink.Latest!.Phase);
    }
}
