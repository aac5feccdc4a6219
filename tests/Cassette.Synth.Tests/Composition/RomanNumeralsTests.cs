using Cassette.Synth.Composition;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Tests.Composition;

public class RomanNumeralsTests
{
    [Fact]
    public void ReadsDegreesFromTheModesOwnScale()
    {
        var minor = RomanNumerals.Parse("i iv V VI VII bII", Mode.Minor);
        Assert.Equal([0, 5, 7, 8, 10, 1], minor.Select(c => c.Chord.Root));
        Assert.True(minor[0].Chord.IsMinor);
        Assert.False(minor[2].Chord.IsMinor); // a major dominant: the leading tone
        var major = RomanNumerals.Parse("I ii iii IV V vi bVII", Mode.Major);
        Assert.Equal([0, 2, 4, 5, 7, 9, 10], major.Select(c => c.Chord.Root));
    }

    [Fact]
    public void ReadsSeventhsAndHeldBars()
    {
        var chords = RomanNumerals.Parse("Imaj7(2) vi7 V7", Mode.Major);
        Assert.Equal([0, 4, 7, 11], chords[0].Chord.Intervals);
        Assert.Equal(2, chords[0].Bars);
        Assert.Equal([0, 3, 7, 10], chords[1].Chord.Intervals);
        Assert.Equal([0, 4, 7, 10], chords[2].Chord.Intervals);
    }

    [Fact]
    public void RejectsWhatIsNotANumeral() => Assert.Throws<FormatException>(() => RomanNumerals.Parse("i x V", Mode.Minor));

    [Fact]
    public void VoicesChordsCloseToTheCentre()
    {
        var chord = RomanNumerals.Parse("iv", Mode.Minor)[0].Chord; // G minor in D minor
        var notes = chord.Voicing(tonic: 2, centre: 62, count: 4);
        Assert.Equal(4, notes.Length);
        Assert.All(notes, n => Assert.InRange(n, 56, 80));
        Assert.Equal(new[] { 7, 10, 2 }.ToHashSet(), notes.Select(n => n % 12).ToHashSet());
    }
}
