namespace Cassette.Synth.Composition;

/// <summary>
/// One note of the score, in samples. Pitch is a MIDI note number (fractional for detune); for drums it is a
/// <see cref="DrumSound"/>. Pan is an offset from the part's pan, in -1..1.
/// </summary>
internal readonly record struct NoteEvent(long Start, int Length, float Pitch, float Velocity, float Pan = 0f);
