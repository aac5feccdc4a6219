namespace Cassette.Synth.Prompt;

/// <summary>A tonic pitch class (0 = C … 11 = B) and a mode, spelled the way the prompt spelled it when it could.</summary>
public readonly record struct MusicalKey(int Tonic, Mode Mode, bool PreferFlats = false)
{
    private static readonly string[] SharpNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
    private static readonly string[] FlatNames = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"];

    public string TonicName => (PreferFlats ? FlatNames : SharpNames)[Tonic];

    public override string ToString() => $"{TonicName} {(Mode == Mode.Major ? "major" : "minor")}";
}
