using Cassette.Synth.Rendering;

namespace Cassette.Synth.Tests.Rendering;

/// <summary>
/// The true-peak limiter's step runner: every item of a step runs exactly once, all of them finish before the next step
/// starts (the limiter's items read what the step before wrote), and an item's exception comes out as it was.
/// </summary>
public class StepRunnerTests
{
    [Fact]
    public void EveryItemRunsOnceAndEveryStepFinishesBeforeTheNextStarts()
    {
        const int Items = 6, Steps = 300;
        var runs = new int[Steps, Items];
        var finished = new int[Steps];
        int outOfOrder = 0;
        var runner = new StepRunner(Items, (step, item) =>
        {
            if (step > 0 && Volatile.Read(ref finished[step - 1]) != Items) Interlocked.Increment(ref outOfOrder);
            Interlocked.Increment(ref runs[step, item]);
            Thread.SpinWait(50 * (item + 1)); // unequal items, so the helper and the caller interleave
            Interlocked.Increment(ref finished[step]);
        });
        for (int s = 0; s < Steps; s++)
        {
            runner.Run(s);
            Assert.Equal(Items, Volatile.Read(ref finished[s]));
        }
        Assert.Equal(0, outOfOrder);
        for (int s = 0; s < Steps; s++)
            for (int i = 0; i < Items; i++) Assert.Equal(1, runs[s, i]);
    }

    [Fact]
    public void AnItemsExceptionIsRethrownAsItWasOnceTheStepHasStopped()
    {
        int running = 0;
        var runner = new StepRunner(4, (step, item) =>
        {
            Interlocked.Increment(ref running);
            try
            {
                Thread.SpinWait(200);
                if (step == 3 && item == 2) throw new InvalidOperationException("item 2 of step 3");
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });
        for (int s = 0; s < 3; s++) runner.Run(s);
        var error = Assert.Throws<InvalidOperationException>(() => runner.Run(3));
        Assert.Equal("item 2 of step 3", error.Message);
        Assert.Equal(0, Volatile.Read(ref running)); // no item of the failed step is still at work
    }

    [Fact]
    public void RejectsAStepWithoutItems()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new StepRunner(0, (_, _) => { }));
        Assert.Equal("items", error.ParamName);
    }
}
