namespace Cassette.Synth.Prompt;

/// <summary>A variant inside a genre that changes its tempo range and groove, not its instruments.</summary>
public enum Flavour
{
    None,
    Punk,
    Disco,
    Ballad,
}
