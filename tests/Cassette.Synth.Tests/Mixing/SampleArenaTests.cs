using Cassette.Synth.Composition;
using Cassette.Synth.Instruments;
using Cassette.Synth.Mixing;

namespace Cassette.Synth.Tests.Mixing;

/// <summary>One arena serves all parts of a render: they fill the same slabs, from several threads at once.</summary>
public class SampleArenaTests
{
    [Fact]
    public void TwoPartsCachesFillTheSameSlab()
    {
        var arena = SampleArena.Rent();
        try
        {
            var kicks = new NoteCache(InstrumentKind.DrumsElectronic909, 110f, 1, arena);
            var snares = new NoteCache(InstrumentKind.DrumsAcoustic, 110f, 2, arena);
            var kick = kicks.Get((int)DrumSound.Kick, NoteCache.Layers, 0);
            var snare = snares.Get((int)DrumSound.Snare, NoteCache.Layers, 0);

            // The snare's run starts where the kick's trimmed run ends, in the same slab: no part keeps a tail of its own.
            Assert.Same(kick.Left.Array, snare.Left.Array);
            Assert.Equal(kick.Left.Offset + kick.Left.Count, snare.Left.Offset);
            Assert.Equal(1, arena.SlabCount);
        }
        finally
        {
            SampleArena.Return(arena);
        }
    }

    [Fact]
    public void AHeldSlabServesOnlyItsHolderUntilReleased()
    {
        var arena = SampleArena.Rent();
        var holder = new object();
        try
        {
            var held = arena.Take(1000, holder);
            var other = arena.Take(10);
            Assert.NotSame(held.Array, other.Array);

            var second = arena.Take(500, holder);
            Assert.Same(held.Array, second.Array);
            Assert.Equal(200, arena.Trim(second, 200).Count);
            Assert.Equal(1000, arena.Trim(held, 400).Count); // no longer the latest: keeps its length

            arena.Release(holder);
            var after = arena.Take(10);
            Assert.Same(held.Array, after.Array);
            Assert.Equal(second.Offset + 200, after.Offset);
        }
        finally
        {
            SampleArena.Return(arena);
        }
    }

    [Fact]
    public void RunsTakenFromManyThreadsAtOnceNeverOverlapAndStartZeroed()
    {
        var arena = SampleArena.Rent();
        try
        {
            const int Threads = 8, RunsEach = 200;
            var runs = new ArraySegment<float>[Threads][];
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
            {
                var random = new Random(thread);
                var holder = new object();
                runs[thread] = new ArraySegment<float>[RunsEach];
                for (int r = 0; r < RunsEach; r++)
                {
                    // Some runs are held and trimmed, as drum hits are; the rest stay as taken.
                    bool hold = r % 3 == 0;
                    var run = arena.Take(random.Next(1, 20000), hold ? holder : null);
                    Assert.True(run.AsSpan().IndexOfAnyExcept(0f) < 0, "a run was not zeroed");
                    if (hold)
                    {
                        run = arena.Trim(run, run.Count / 2 + 1);
                        arena.Release(holder);
                    }
                    run.AsSpan().Fill(thread * RunsEach + r + 1);
                    runs[thread][r] = run;
                }
            });

            // Every run still holds only its own mark: no other run was given any of its memory.
            for (int thread = 0; thread < Threads; thread++)
                for (int r = 0; r < RunsEach; r++)
                {
                    float mark = thread * RunsEach + r + 1;
                    Assert.True(runs[thread][r].AsSpan().IndexOfAnyExcept(mark) < 0, $"run {r} of thread {thread} was overwritten");
                }
        }
        finally
        {
            SampleArena.Return(arena);
        }
    }
}
