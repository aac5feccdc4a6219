using Cassette.Synth.Prompt;

namespace Cassette.Synth.Tests.Prompt;

public class TempoParserTests
{
    [Theory]
    [InlineData("Key: D Minor, Tempo: 90 BPM", 90)]
    [InlineData("banging 128bpm techno", 128)]
    [InlineData("tempo 75, relaxed", 75)]
    [InlineData("BPM: 140", 140)]
    [InlineData("at 100 beats per minute", 100)]
    [InlineData("97.5 bpm shuffle", 97.5)]
    [InlineData("tempo=174", 174)]
    public void ReadsExplicitTempos(string prompt, double bpm)
    {
        Assert.True(TempoParser.TryParse(prompt, out double got));
        Assert.Equal(bpm, got, 3);
    }

    [Theory]
    [InlineData("300 bpm gabber", TempoParser.Fastest)]
    [InlineData("tempo 20", TempoParser.Slowest)]
    public void ClampsToAPlayableRange(string prompt, double bpm)
    {
        Assert.True(TempoParser.TryParse(prompt, out double got));
        Assert.Equal(bpm, got);
    }

    [Theory]
    [InlineData("a slow song from the 90s")]
    [InlineData("2 pianos and 3 violins")]
    public void IgnoresNumbersThatAreNotTempos(string prompt) => Assert.False(TempoParser.TryParse(prompt, out _));
}
