using Cassette.Synth.Prompt;

namespace Cassette.Synth.Tests.Prompt;

public class PromptReaderTests
{
    [Theory]
    [InlineData("boom bap hip hop", Genre.HipHop)]
    [InlineData("lofi beats to study to", Genre.LoFi)]
    [InlineData("jazzy lo-fi hip-hop", Genre.LoFi)]
    [InlineData("hard trap with 808s", Genre.Trap)]
    [InlineData("deep house groove", Genre.House)]
    [InlineData("minimal techno", Genre.Techno)]
    [InlineData("big EDM festival drop", Genre.Trance)]
    [InlineData("uplifting trance", Genre.Trance)]
    [InlineData("liquid dnb", Genre.DrumAndBass)]
    [InlineData("drum & bass roller", Genre.DrumAndBass)]
    [InlineData("drum and bass", Genre.DrumAndBass)]
    [InlineData("retrowave night drive", Genre.Synthwave)]
    [InlineData("catchy pop chorus", Genre.Pop)]
    [InlineData("garage rock", Genre.Rock)]
    [InlineData("funky groove", Genre.Funk)]
    [InlineData("roots reggae", Genre.Reggae)]
    [InlineData("bebop jazz trio", Genre.Jazz)]
    [InlineData("ambient soundscape", Genre.Ambient)]
    [InlineData("epic orchestral trailer", Genre.Cinematic)]
    [InlineData("solo piano nocturne", Genre.SoloPiano)]
    [InlineData("gentle piano", Genre.SoloPiano)]
    [InlineData("acoustic folk song", Genre.Folk)]
    [InlineData("epic trance", Genre.Trance)]
    public void RecognisesGenresAndTheirSynonyms(string prompt, Genre genre) => Assert.Equal(genre, PromptReader.Read(prompt).Genre);

    [Theory]
    [InlineData("fast punk", Genre.Rock, Flavour.Punk)]
    [InlineData("pop punk anthem", Genre.Rock, Flavour.Punk)]
    [InlineData("disco with strings", Genre.Funk, Flavour.Disco)]
    [InlineData("jazz ballad", Genre.Jazz, Flavour.Ballad)]
    [InlineData("rock ballad", Genre.Rock, Flavour.None)]
    public void RecognisesFlavoursThatFitTheirGenre(string prompt, Genre genre, Flavour flavour)
    {
        var reading = PromptReader.Read(prompt);
        Assert.Equal(genre, reading.Genre);
        Assert.Equal(flavour, reading.Flavour);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("xyzzy plugh frobnicate")]
    [InlineData("🎵🎶")]
    public void FallsBackToASensibleSongForAnythingElse(string? prompt)
    {
        var reading = PromptReader.Read(prompt);
        Assert.Equal(Genre.Pop, reading.Genre);
        Assert.InRange(reading.Bpm, 96, 124);
        Assert.False(reading.KeyFromPrompt);
        Assert.False(reading.TempoFromPrompt);
    }

    [Fact]
    public void ChoosesFromTheGenresRangeWhenThePromptLeavesTempoAndKeyOpen()
    {
        foreach (var genre in Enum.GetValues<Genre>())
        {
            var reading = PromptReader.Read($"{genre} track number {(int)genre}");
            var range = GenreTempo.For(reading.Genre, reading.Flavour);
            Assert.InRange(reading.Bpm, range.Slowest, range.Fastest);
        }
    }

    [Fact]
    public void TempoWordsMoveWithinTheGenresRange()
    {
        double slow = PromptReader.Read("slow house").Bpm;
        double usual = PromptReader.Read("house").Bpm;
        double fast = PromptReader.Read("fast house").Bpm;
        Assert.True(slow < usual && usual < fast, $"{slow} < {usual} < {fast}");
        Assert.True(PromptReader.Read("upbeat pop").Bpm > PromptReader.Read("laid back pop").Bpm);
        Assert.True(PromptReader.Read("very slow ambient").Bpm <= PromptReader.Read("slow ambient").Bpm);
    }

    [Fact]
    public void AnExplicitTempoWinsOverTempoWords() => Assert.Equal(150, PromptReader.Read("slow trap at 150 bpm").Bpm);

    [Theory]
    [InlineData("dark pop", Mode.Minor)]
    [InlineData("sad piano", Mode.Minor)]
    [InlineData("happy house", Mode.Major)]
    [InlineData("uplifting cinematic", Mode.Major)]
    [InlineData("techno", Mode.Minor)]
    [InlineData("folk", Mode.Major)]
    public void MoodAndGenreChooseTheModeWhenNoKeyIsGiven(string prompt, Mode mode) => Assert.Equal(mode, PromptReader.Read(prompt).Key.Mode);

    [Fact]
    public void AnExplicitKeyWinsOverMood()
    {
        var reading = PromptReader.Read("sad song, Key: G major");
        Assert.True(reading.KeyFromPrompt);
        Assert.Equal(new MusicalKey(7, Mode.Major), reading.Key);
    }

    [Fact]
    public void ReadsInstrumentsInTheOrderTheyAreNamed()
    {
        var reading = PromptReader.Read("lo-fi with rhodes, saxophone and vinyl");
        Assert.Equal([InstrumentWord.ElectricPiano, InstrumentWord.Saxophone], reading.Instruments);
    }

    [Theory]
    [InlineData("rock with guitar", InstrumentWord.ElectricGuitar)]
    [InlineData("folk with guitar", InstrumentWord.AcousticGuitar)]
    [InlineData("ambient with acoustic guitar", InstrumentWord.AcousticGuitar)]
    public void ABareGuitarIsTheGenresGuitar(string prompt, InstrumentWord guitar) => Assert.Contains(guitar, PromptReader.Read(prompt).Instruments);

    [Fact]
    public void ReadsTheSamePromptTheSameWayEveryTime()
    {
        var first = PromptReader.Read("moody synth track");
        var second = PromptReader.Read("moody synth track");
        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(first.PromptHash, second.PromptHash);
    }

    [Fact]
    public void DescribesWhatItRead()
    {
        string description = PromptReader.Read("Smooth chill hip-hop beat, Key: D Minor, Tempo: 90 BPM").ToString();
        Assert.Contains("HipHop", description);
        Assert.Contains("D minor", description);
        Assert.Contains("90 BPM", description);
    }
}
