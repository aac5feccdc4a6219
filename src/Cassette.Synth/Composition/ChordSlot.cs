namespace Cassette.Synth.Composition;

/// <summary>A chord held from a beat, for a number of beats.</summary>
internal readonly record struct ChordSlot(Chord Chord, double StartBeat, double Beats)
{
    public double EndBeat => StartBeat + Beats;
}
