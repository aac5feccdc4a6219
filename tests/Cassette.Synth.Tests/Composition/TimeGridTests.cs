using Cassette.Synth.Composition;

namespace Cassette.Synth.Tests.Composition;

public class TimeGridTests
{
    [Fact]
    public void StraightTimeIsLinear()
    {
        var grid = new TimeGrid(120, 0.5, false, 44100);
        Assert.Equal(22050, grid.Sample(1));
        Assert.Equal(5512, grid.Sample(0.25)); // 5512.5, rounded to even
        Assert.Equal(2.0, grid.BarSeconds);
    }

    [Fact]
    public void SwingDelaysTheOffbeatSixteenthOnly()
    {
        var grid = new TimeGrid(120, 0.6, false, 44100);
        Assert.Equal(0, grid.Sample(0));
        Assert.Equal((long)Math.Round(0.6 * 0.5 * 22050), grid.Sample(0.25)); // 60 % of the way through its eighth
        Assert.Equal(11025, grid.Sample(0.5));
        Assert.Equal(22050, grid.Sample(1));
    }

    [Fact]
    public void JazzSwingsEighthsTowardsTheTriplet()
    {
        var grid = new TimeGrid(120, 2 / 3.0, true, 44100);
        Assert.Equal(14700, grid.Sample(0.5)); // two thirds of the beat
        Assert.Equal(22050, grid.Sample(1));
    }
}
