using System.Management.Automation;
using Cassette.Jobs;

namespace Cassette.Tests.Jobs;

/// <summary>The parent/child job semantics, in-process with scripted work: throttling, states, stopping, failures.</summary>
public sealed class GenerationJobTests
{
    private static CassetteGenerationJob NewJob(int throttleLimit, params IJobWork[] works)
    {
        var job = new CassetteGenerationJob("New-CassetteTrack", null, throttleLimit);
        foreach (var work in works) job.Add(work);
        return job;
    }

    private static void WaitFinished(Job job) => Assert.True(job.Finished.WaitOne(TimeSpan.FromSeconds(120)), $"{job.Name} is still {job.JobStateInfo.State}");

    [Fact]
    public void RunsAtMostThrottleLimitChildrenAtOnce()
    {
        var gate = new Gate();
        using var job = NewJob(3, Enumerable.Range(1, 10).Select(i => (IJobWork)FakeWork.Blocking($"w{i}", gate)).ToArray());
        job.CloseInput();

        Eventually.True(() => gate.Running == 3, "three works to run");
        // That no fourth ever ran at once is gate.Peak, checked exactly below: no sleep needed to catch one.
        Assert.Equal(3, gate.Running);
        Assert.Equal(3, job.ChildJobs.Count(c => c.JobStateInfo.State == JobState.Running));
        Assert.Equal(7, job.ChildJobs.Count(c => c.JobStateInfo.State == JobState.NotStarted));
        Assert.Equal("3 running, 7 waiting", job.StatusMessage);

        gate.Release();
        WaitFinished(job);
        Assert.Equal(JobState.Completed, job.JobStateInfo.State);
        Assert.Equal(3, gate.Peak);
        Assert.Equal(10, job.ChildJobs.Sum(c => c.Output.Count));
    }

    [Fact]
    public void OutputHandedOverEarlyIsReceivableBeforeTheWorkEndsAndKeptOnce()
    {
        var finishing = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var job = NewJob(1, new FakeWork("early", async (_, handOver, token) =>
        {
            handOver("track");
            // What the work does after the hand-over (the journal's outcome line) no longer delays the output.
            await finishing.Task.WaitAsync(token);
            return "track";
        }));
        job.CloseInput();
        var child = job.ChildJobs.Single();

        Eventually.True(() => child.Output.Count == 1, "the handed-over output to arrive");
        Assert.Equal(JobState.Running, child.JobStateInfo.State);
        finishing.SetResult(true);
        WaitFinished(job);
        Assert.Equal(JobState.Completed, child.JobStateInfo.State);
        Assert.Equal("track", Assert.Single(child.Output).BaseObject);
    }

    [Fact]
    public void AChildWhoseRequestLeftTheQueueFreesItsSlotBeforeItFinishes()
    {
        // The first work's request completes on the queue, then it keeps reading its result until the test lets it go.
        var reading = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool leftTwice = false;
        using var job = NewJob(1,
            new FakeWork("first", async (_, _, leftQueue, token) =>
            {
                leftQueue();
                leftQueue();
                leftTwice = true;
                await reading.Task.WaitAsync(token);
                return "first";
            }),
            new FakeWork("second", (_, _, _, _) =>
            {
                secondStarted.TrySetResult(true);
                return Task.FromResult<object>("second");
            }),
            new FakeWork("third", (_, _, _, _) => Task.FromResult<object>("third")));
        job.CloseInput();

        Assert.True(secondStarted.Task.Wait(TimeSpan.FromSeconds(120)), "the second work to start while the first still reads its result");
        var first = (CassetteGenerationChildJob)job.ChildJobs[0];
        Assert.Equal(JobState.Running, first.JobStateInfo.State);
        reading.SetResult(true);
        WaitFinished(job);
        Assert.True(leftTwice);
        Assert.Equal(JobState.Completed, job.JobStateInfo.State);
        Assert.Equal(new[] { "first", "second", "third" }, job.ChildJobs.Select(c => (string)Assert.Single(c.Output).BaseObject).OrderBy(s => s));
    }

    [Fact]
    public void ASlotFreedEarlyIsNotFreedAgainWhenTheChildFinishes()
    {
        // The quick work frees its slot early and then finishes; the two blocking works hold both slots from then on, so
        // a slot freed twice would show as a free one.
        var gate = new Gate();
        using var job = NewJob(2,
            new FakeWork("quick", (_, _, leftQueue, _) =>
            {
                leftQueue();
                return Task.FromResult<object>("quick");
            }),
            FakeWork.Blocking("w1", gate),
            FakeWork.Blocking("w2", gate));
        job.CloseInput();

        Eventually.True(() => gate.Running == 2, "both blocking works to run");
        var quick = (CassetteGenerationChildJob)job.ChildJobs[0];
        Assert.True(quick.WaitForEnd(TimeSpan.FromSeconds(120)), "the quick work to end");
        Assert.Equal(JobState.Completed, quick.JobStateInfo.State);
        Assert.Equal(0, job.FreeSlots);
        gate.Release();
        WaitFinished(job);
        Assert.Equal(2, job.FreeSlots);
    }

    [Fact]
    public void EachJobThrottlesOnItsOwn()
    {
        var gate = new Gate();
        using var first = NewJob(1, FakeWork.Blocking("a1", gate), FakeWork.Blocking("a2", gate));
        using var second = NewJob(1, FakeWork.Blocking("b1", gate), FakeWork.Blocking("b2", gate));

        Eventually.True(() => gate.Running == 2, "one work of each job to run");
        Assert.Equal(new[] { "a1", "b1" }, gate.Started.OrderBy(s => s));
        gate.Release();
        first.CloseInput();
        second.CloseInput();
        WaitFinished(first);
        WaitFinished(second);
        Assert.Equal(2, gate.Peak);
    }

    [Fact]
    public void WithAThrottleOfOneChildrenRunInInputOrder()
    {
        var started = new List<string>();
        var works = Enumerable.Range(1, 20).Select(i => (IJobWork)new FakeWork($"w{i}", async (_, _) =>
        {
            lock (started) started.Add($"w{i}");
            await Task.Yield();
            return i;
        })).ToArray();
        using var job = NewJob(1, works);
        job.CloseInput();
        WaitFinished(job);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"w{i}"), started);
    }

    [Fact]
    public void TheJobFinishesOnlyOnceTheInputIsClosed()
    {
        using var job = NewJob(2, FakeWork.Returning("done", "track"));
        WaitFinished(job.ChildJobs[0]);
        Assert.False(job.Finished.WaitOne(TimeSpan.FromMilliseconds(100)), "the job finished before its input was closed");
        Assert.Equal(JobState.Running, job.JobStateInfo.State);
        job.CloseInput();
        WaitFinished(job);
        Assert.Equal(JobState.Completed, job.JobStateInfo.State);
    }

    [Fact]
    public void AJobWithNoInputCompletesAtOnce()
    {
        using var job = NewJob(2);
        job.CloseInput();
        Assert.Equal(JobState.Completed, job.JobStateInfo.State);
        Assert.Equal("No input", job.StatusMessage);
        Assert.False(job.HasMoreData);
    }

    [Fact]
    public void AnyFailedChildFailsTheJobEvenWhenAnotherWasStopped()
    {
        var gate = new Gate();
        using var job = NewJob(3, FakeWork.Throwing("bad", new CassetteException(CassetteErrors.GenerationFailed, "it broke")),
            FakeWork.Blocking("stopped", gate), FakeWork.Returning("good", "track"));
        job.CloseInput();
        WaitFinished(job.ChildJobs[0]);
        job.ChildJobs[1].StopJob();
        WaitFinished(job);

        Assert.Equal(JobState.Failed, job.JobStateInfo.State);
        Assert.Equal(new[] { JobState.Failed, JobState.Stopped, JobState.Completed }, job.ChildJobs.Select(c => c.JobStateInfo.State));
        Assert.Null(job.ChildJobs[0].JobStateInfo.Reason);
        var error = Assert.Single(job.ChildJobs[0].Error);
        Assert.Equal("GenerationFailed,Cassette.Cmdlets.NewCassetteTrackCommand", error.FullyQualifiedErrorId);
        Assert.Equal("fake bad", error.TargetObject);
        Assert.Equal("Failed: it broke", job.ChildJobs[0].StatusMessage);
    }

    [Fact]
    public void AStoppedChildStopsTheJobWhenNoneFailed()
    {
        var gate = new Gate();
        using var job = NewJob(2, FakeWork.Blocking("stopped", gate), FakeWork.Returning("good", "track"));
        job.CloseInput();
        WaitFinished(job.ChildJobs[1]);
        job.ChildJobs[0].StopJob();
        WaitFinished(job);
        Assert.Equal(JobState.Stopped, job.JobStateInfo.State);
        Assert.Empty(job.ChildJobs[0].Error);
    }

    [Fact]
    public void StoppingAWaitingChildEndsItAtOnceWithoutRunningItsWork()
    {
        var gate = new Gate();
        using var job = NewJob(1, FakeWork.Blocking("running", gate), FakeWork.Blocking("waiting", gate));
        Eventually.True(() => gate.Running == 1, "the first work to run");
        var waiting = job.ChildJobs[1];
        Assert.Equal("Waiting for a free slot (-ThrottleLimit 1)", waiting.StatusMessage);

        waiting.StopJob();

        Assert.Equal(JobState.Stopped, waiting.JobStateInfo.State);
        Assert.Equal("Stopped before a request was submitted", waiting.StatusMessage);
        Assert.Equal(new[] { "running" }, gate.Started);
        gate.Release();
        job.CloseInput();
        WaitFinished(job);
        Assert.Equal(new[] { "running" }, gate.Started);
    }

    [Fact]
    public void StoppingTheJobCancelsRunningWorkAndWaitsForItsCleanUp()
    {
        int cleanedUp = 0;
        IJobWork Cancellable(string name) => new FakeWork(name, async (_, token) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
                return name;
            }
            catch (OperationCanceledException)
            {
                // Like RequestLifecycle sending fal's cancel: it takes a moment and must finish before Stop-Job returns.
                await Task.Delay(300, CancellationToken.None);
                Interlocked.Increment(ref cleanedUp);
                throw;
            }
        });
        using var job = NewJob(2, Cancellable("a"), Cancellable("b"), Cancellable("queued"));
        job.CloseInput();
        Eventually.True(() => job.ChildJobs.Count(c => c.JobStateInfo.State == JobState.Running) == 2, "two works to run");

        job.StopJob();

        // Both works saw the cancel and finished their clean-up before StopJob returned; how fast is bench's business.
        Assert.Equal(2, Volatile.Read(ref cleanedUp));
        Assert.Equal(JobState.Stopped, job.JobStateInfo.State);
        Assert.All(job.ChildJobs, c => Assert.Equal(JobState.Stopped, c.JobStateInfo.State));
        Assert.All(job.ChildJobs, c => Assert.Empty(c.Error));
    }

    [Fact]
    public void AnUnexpectedExceptionFailsTheChildAndNeverEscapesTheWorkerThread()
    {
        using var job = NewJob(2,
            new FakeWork("async", async (_, _) => { await Task.Yield(); throw new NullReferenceException("bug"); }),
            new FakeWork("sync", (_, _) => throw new InvalidCastException("another bug")));
        job.CloseInput();
        WaitFinished(job);
        Assert.Equal(JobState.Failed, job.JobStateInfo.State);
        Assert.All(job.ChildJobs, c => Assert.Equal("UnexpectedError,Cassette.Cmdlets.NewCassetteTrackCommand", Assert.Single(c.Error).FullyQualifiedErrorId));
    }

    [Fact]
    public void AListenerThatThrowsDoesNotKeepTheJobFromFinishing()
    {
        var gate = new Gate();
        using var job = NewJob(1, FakeWork.Blocking("watched", gate));
        job.ChildJobs[0].StateChanged += (_, _) => throw new InvalidOperationException("a careless event handler");
        job.CloseInput();
        gate.Release();
        WaitFinished(job);
        Assert.Equal(JobState.Completed, job.JobStateInfo.State);
        Assert.Equal("watched", Assert.Single(job.ChildJobs[0].Output).BaseObject);
    }

    [Fact]
    public void StatusMessageLocationAndHasMoreDataNeverThrowInAnyState()
    {
        var gate = new Gate();
        using var job = NewJob(1, FakeWork.Blocking("running", gate), FakeWork.Blocking("waiting", gate));
        void Read()
        {
            foreach (var j in job.ChildJobs.Append(job))
            {
                Assert.NotNull(j.StatusMessage);
                Assert.Equal("queue.example:8443", j.Location);
                _ = j.HasMoreData;
            }
        }
        Read();
        Eventually.True(() => gate.Running == 1, "the first work to run");
        Read();
        job.StopJob();
        Read();
        job.Dispose();
        Read();
    }

    [Fact]
    public void HasMoreDataCountsTheInformationStream()
    {
        var entry = new CassetteLogEntry(DateTimeOffset.UtcNow, "INFO", "a server log line", "req-1");
        using var job = NewJob(1, new FakeWork("logged", (sink, _) =>
        {
            sink.Information(entry);
            return Task.FromResult<object>("track");
        }));
        job.CloseInput();
        WaitFinished(job);
        var child = (CassetteGenerationChildJob)job.ChildJobs[0];
        child.Output.ReadAll();
        child.Progress.ReadAll();
        Assert.True(job.HasMoreData);
        var record = Assert.Single(child.Information.ReadAll());
        Assert.Equal(new[] { "Cassette", "ServerLog", "INFO" }, record.Tags);
        Assert.False(job.HasMoreData);
    }

    [Fact]
    public void NoChildCanBeAddedOnceTheJobWasStopped()
    {
        using var job = NewJob(1);
        job.StopJob();
        Assert.Equal(JobState.Stopped, job.JobStateInfo.State);
        Assert.Throws<InvalidOperationException>(() => job.Add(FakeWork.Returning("late", "track")));
    }
}
