using Cassette.Synth.Composition;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Tests.Composition;

public class FormPlannerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(26)]
    [InlineData(44)]
    [InlineData(97)]
    public void LaysOutExactlyTheBarsItIsGiven(int bars) => Assert.Equal(bars, FormPlanner.Layout(bars).Sum(s => s.Bars));

    [Theory]
    [InlineData(10, 60)]
    [InlineData(10, 175)]
    [InlineData(30, 90)]
    [InlineData(60, 128)]
    [InlineData(180, 140)]
    [InlineData(180, 60)]
    public void EndsWithACadenceAndATonicThatRingsForTheLastSeconds(int seconds, double bpm)
    {
        var grid = new TimeGrid(bpm, 0.5, false, 44100);
        var form = FormPlanner.Plan(seconds, grid, Mode.Minor, "i iv V i", "i VI iv V");

        var ending = form.Ending;
        Assert.Equal(SectionKind.Ending, ending.Kind);
        Assert.Equal(0, ending.Chords[0].Chord.Root);
        Assert.True(ending.Chords[0].Chord.IsMinor);
        double endingSeconds = ending.StartBar * grid.BarSeconds;
        Assert.InRange(seconds - endingSeconds, FormPlanner.MinimumRingSeconds, FormPlanner.MinimumRingSeconds + grid.BarSeconds + 0.01);

        var last = form.Sections[^2].Chords[^1].Chord;
        Assert.Equal(7, last.Root); // V before the final i
        Assert.False(last.IsMinor);
    }

    [Fact]
    public void LongTracksHaveAnIntroVersesChorusesAndABreakdown()
    {
        var form = FormPlanner.Plan(180, new TimeGrid(120, 0.5, false, 44100), Mode.Major, "I IV V I", "I V vi IV");
        var kinds = form.Sections.Select(s => s.Kind).ToList();
        Assert.Equal(SectionKind.Intro, kinds[0]);
        Assert.Contains(SectionKind.Verse, kinds);
        Assert.Contains(SectionKind.Chorus, kinds);
        Assert.Contains(SectionKind.Breakdown, kinds);
        Assert.Equal(SectionKind.Chorus, kinds[^2]);
        // The chords tile the music without gaps or overlaps.
        double beat = 0;
        foreach (var slot in form.AllChords)
        {
            Assert.Equal(beat, slot.StartBeat, 6);
            beat = slot.EndBeat;
        }
    }
}
