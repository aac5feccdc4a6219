using Cassette.Synth.Composition;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Tests.Composition;

public class ComposerTests
{
    public static TheoryData<Genre> Genres() => new(Enum.GetValues<Genre>());

    private static Score Compose(string prompt, int seconds = 40, long? seed = null) =>
        Composer.Compose(PromptReader.Read(prompt), seconds, seed);

    [Theory]
    [MemberData(nameof(Genres))]
    public void EveryGenreHasBassHarmonyAndAMelodyArpOrPulseInsideTheTrack(Genre genre)
    {
        string name = genre switch
        {
            Genre.SoloPiano => "solo piano",
            Genre.DrumAndBass => "drum and bass",
            Genre.HipHop => "hip hop",
            Genre.LoFi => "lofi",
            _ => genre.ToString(),
        };
        var score = Compose($"{name} in D minor, 100 BPM");
        Assert.Equal(genre, PromptReader.Read(name).Genre);
        Assert.Contains(score.Parts, p => p.Role == PartRole.Bass && p.Notes.Count > 0);
        Assert.Contains(score.Parts, p => p.Role == PartRole.Chords && p.Notes.Count > 0);
        Assert.Contains(score.Parts, p => p.Role is PartRole.Lead or PartRole.Pulse or PartRole.Arp && p.Notes.Count > 0);
        Assert.All(score.Parts.SelectMany(p => p.Notes), n => Assert.InRange(n.Start, 0, score.TotalFrames - 1));
    }

    [Theory]
    [InlineData("hip hop")]
    [InlineData("trap")]
    [InlineData("house")]
    [InlineData("drum and bass")]
    [InlineData("rock")]
    [InlineData("jazz")]
    public void GenresWithDrumsPutAnEventOnEveryBeatOfTheMusic(string genre)
    {
        var score = Compose($"{genre}, 120 BPM", 30);
        double samplesPerBeat = 44100 * 60 / 120.0;
        var onsets = score.Parts.Where(p => p.Role is not PartRole.Texture).SelectMany(p => p.Notes).Select(n => n.Start).ToList();
        int beats = (int)(score.TotalFrames / samplesPerBeat) - 4;
        for (int beat = 0; beat < beats; beat++)
        {
            long at = (long)(beat * samplesPerBeat);
            Assert.Contains(onsets, o => Math.Abs(o - at) < 0.01 * 44100);
        }
    }

    [Fact]
    public void BassStaysAtOrAboveA1AndChordsInTheMiddleRegister()
    {
        foreach (var tonic in new[] { "C", "F#", "A", "Bb" })
        {
            var score = Compose($"pop in {tonic} major");
            Assert.All(score.Parts.Single(p => p.Role == PartRole.Bass).Notes, n => Assert.InRange(n.Pitch, 28, 60));
            Assert.All(score.Parts.Single(p => p.Role == PartRole.Chords).Notes, n => Assert.InRange(n.Pitch, 50, 84));
        }
    }

    [Theory]
    [InlineData("lofi hip hop")]
    [InlineData("trance")]
    [InlineData("pop")]
    [InlineData("jazz")]
    [InlineData("folk")]
    [InlineData("cinematic")]
    public void TheScoreIsInTheAskedKeyInAllTwentyFourKeys(string genre)
    {
        string[] names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];
        for (int tonic = 0; tonic < 12; tonic++)
            foreach (var minor in new[] { false, true })
            {
                var score = Compose($"{genre}, Key: {names[tonic]} {(minor ? "minor" : "major")}", 60);
                var best = KeyProfile.Best(score);
                Assert.True(best.Tonic == tonic && best.Minor == minor,
                    $"{genre} in {names[tonic]} {(minor ? "minor" : "major")} reads as {names[best.Tonic]} {(best.Minor ? "minor" : "major")}");
            }
    }

    [Fact]
    public void TheMelodyEndsOnTheTonic()
    {
        var score = Compose("pop, Key: E major");
        var last = score.Parts.Single(p => p.Role == PartRole.Lead).Notes.MaxBy(n => n.Start);
        Assert.Equal(4, (int)Math.Round(last.Pitch) % 12);
    }

    [Fact]
    public void TheSameSeedComposesTheSameSongAndAnotherSeedADifferentOne()
    {
        static string Fingerprint(Score s) => string.Join(";", s.Parts.SelectMany(p => p.Notes).Select(n => $"{n.Start}:{n.Pitch}:{n.Velocity}"));
        Assert.Equal(Fingerprint(Compose("house", 30, 7)), Fingerprint(Compose("house", 30, 7)));
        Assert.NotEqual(Fingerprint(Compose("house", 30, 7)), Fingerprint(Compose("house", 30, 8)));
    }

    [Fact]
    public void NamedInstrumentsReplaceTheGenresChoice()
    {
        var score = Compose("lo-fi hip hop with acoustic guitar and flute");
        Assert.Equal(Cassette.Synth.Instruments.InstrumentKind.AcousticGuitar, score.Parts.Single(p => p.Role == PartRole.Chords).Instrument);
        Assert.Equal(Cassette.Synth.Instruments.InstrumentKind.Flute, score.Parts.Single(p => p.Role == PartRole.Lead).Instrument);
    }
}
