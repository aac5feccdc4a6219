namespace Cassette.Synth.Composition;

/// <summary>What a part does in the arrangement; the mixer and the key self-check treat roles differently.</summary>
internal enum PartRole
{
    Drums,
    Bass,
    Chords,
    Pad,
    Lead,
    Arp,
    Pulse,
    Texture,
}
