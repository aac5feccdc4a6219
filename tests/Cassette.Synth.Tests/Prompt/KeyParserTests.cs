using Cassette.Synth.Prompt;

namespace Cassette.Synth.Tests.Prompt;

public class KeyParserTests
{
    [Theory]
    [InlineData("Smooth chill hip-hop, Key: D Minor, Tempo: 90 BPM", 2, Mode.Minor)]
    [InlineData("dark techno in F# minor", 6, Mode.Minor)]
    [InlineData("Eb major ballad", 3, Mode.Major)]
    [InlineData("a jazz tune in Bb", 10, Mode.Major)]
    [InlineData("trap beat, C#m, 140 bpm", 1, Mode.Minor)]
    [InlineData("Key: Bbm", 10, Mode.Minor)]
    [InlineData("key of E", 4, Mode.Major)]
    [InlineData("A-flat minor lament", 8, Mode.Minor)]
    [InlineData("E flat major", 3, Mode.Major)]
    [InlineData("f# Minor", 6, Mode.Minor)]
    [InlineData("D dorian groove", 2, Mode.Minor)]
    [InlineData("G mixolydian jam", 7, Mode.Major)]
    [InlineData("song in A", 9, Mode.Major)]
    [InlineData("Am progression", 9, Mode.Minor)]
    [InlineData("Key: C♯ minor", 1, Mode.Minor)]
    [InlineData("Key: B♭ major", 10, Mode.Major)]
    [InlineData("Cmaj7 vibes in Gmaj", 7, Mode.Major)]
    [InlineData("a minor tweak of a tune in E minor", 4, Mode.Minor)]
    public void ReadsKeysInTheFormsPeopleWriteThem(string prompt, int tonic, Mode mode)
    {
        Assert.True(KeyParser.TryParse(prompt, out var key));
        Assert.Equal(tonic, key.Tonic);
        Assert.Equal(mode, key.Mode);
    }

    [Theory]
    [InlineData("I am in a hurry, make it upbeat")]
    [InlineData("a chill beat for studying")]
    [InlineData("")]
    [InlineData("key change halfway")]
    public void FindsNoKeyInPlainProse(string prompt) => Assert.False(KeyParser.TryParse(prompt, out _));

    [Fact]
    public void KeepsTheFlatSpellingWhenThePromptUsesIt()
    {
        Assert.True(KeyParser.TryParse("Key: Db Major", out var key));
        Assert.Equal("Db major", key.ToString());
        Assert.True(KeyParser.TryParse("Key: C# Major", out key));
        Assert.Equal("C# major", key.ToString());
    }
}
