namespace Cassette.Synth.Composition;

/// <summary>The parts of a song's form; each kind sets how full the arrangement is.</summary>
internal enum SectionKind
{
    Intro,
    Verse,
    Chorus,
    Breakdown,
    Ending,
}
