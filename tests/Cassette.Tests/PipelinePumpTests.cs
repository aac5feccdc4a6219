using System;
using System.Threading;
using System.Threading.Tasks;
using Cassette.Cmdlets;
using Xunit;

namespace Cassette.Tests
{
    /// <summary>The pipeline thread's wait: a result it expects is taken without blocking, and nothing is lost either way.</summary>
    public class PipelinePumpTests
    {
        private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);

        [Fact]
        public void ExpectedResultPostedFromAnotherThreadIsTakenAndTheWaitReturns()
        {
            using var pump = new PipelinePump();
            pump.ExpectResult();
            var poster = Task.Run(() => pump.Verbose("track"));
            // The deadline only stops a hang: the signal must end the wait, whether it came during the spin or after.
            pump.Wait(Generous, CancellationToken.None);
            poster.Wait(Generous);
            Assert.True(pump.TryTake(out var message));
            Assert.Equal("track", message.Payload);
        }

        [Fact]
        public void ExpectedResultThatDoesNotComeFallsBackToTheOrdinaryWait()
        {
            using var pump = new PipelinePump();
            pump.ExpectResult();
            // Nothing posted: the spin gives up and the blocking wait runs to its own (short) timeout.
            pump.Wait(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            Assert.False(pump.TryTake(out _));
            // The signal that comes later still wakes a later wait, and it is not consumed twice.
            pump.Warning("late");
            pump.Wait(Generous, CancellationToken.None);
            Assert.True(pump.TryTake(out var message));
            Assert.Equal("late", message.Payload);
        }

        [Fact]
        public void StopDuringTheSpinEndsTheWait()
        {
            using var pump = new PipelinePump();
            using var stop = new CancellationTokenSource();
            stop.Cancel();
            pump.ExpectResult();
            // A stopped command must not wait: with the token cancelled neither the spin nor the blocking wait holds it.
            var waiting = Task.Run(() => pump.Wait(Generous, stop.Token));
            Assert.True(waiting.Wait(Generous));
        }
    }
}
