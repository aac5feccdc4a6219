using Cassette.Synth.Instruments;

namespace Cassette.Synth.Composition;

/// <summary>One instrument's notes and how it sits in the mix.</summary>
internal sealed class Part(PartRole role, InstrumentKind instrument, MixSettings mix)
{
    public PartRole Role { get; } = role;
    public InstrumentKind Instrument { get; } = instrument;
    public MixSettings Mix { get; } = mix;
    public List<NoteEvent> Notes { get; } = [];

    public void Add(NoteEvent note)
    {
        if (note.Length > 0 && note.Velocity > 0) Notes.Add(note);
    }
}
