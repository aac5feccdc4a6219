using Cassette.Synth.Composition.Styles;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Composition;

/// <summary>
/// What every part writer shares: the form, the key, the style, the prompt's mood and a way to place notes on the
/// grid with light humanisation (timing in milliseconds, velocity in proportion).
/// </summary>
internal sealed class Arrangement(SongForm form, MusicalKey key, GenreStyle style, PromptReading prompt, int totalFrames)
{
    public SongForm Form { get; } = form;
    public TimeGrid Grid => Form.Grid;
    public MusicalKey Key { get; } = key;
    public GenreStyle Style { get; } = style;
    public PromptReading Prompt { get; } = prompt;
    public int TotalFrames { get; } = totalFrames;

    /// <summary>The tonic as a MIDI note in the bass register, at or above A1 (55 Hz) so its fundamental is heard.</summary>
    public int BassTonic => 33 + ((Key.Tonic - 9 + 12) % 12);

    /// <summary>The beat where the file ends (the last chord rings up to here).</summary>
    public double EndBeat => TotalFrames / Grid.SamplesPerBeat;

    /// <summary>The scale as semitones above the tonic; minor uses the raised seventh over the dominant.</summary>
    public int[] Scale => Key.Mode == Mode.Major ? [0, 2, 4, 5, 7, 9, 11] : [0, 2, 3, 5, 7, 8, 10];

    public void Place(Part part, Rng rng, double beat, double beats, float pitch, double velocity, double jitterMs = 0, double velocityJitter = 0, float pan = 0)
    {
        long start = Grid.Sample(beat);
        if (jitterMs > 0) start += (long)(rng.Signed() * jitterMs * Grid.SampleRate / 1000);
        if (start < 0) start = 0;
        if (start >= TotalFrames) return;
        long end = Grid.Sample(beat + beats);
        int length = (int)Math.Max(Grid.SampleRate / 200, end - start);
        double v = velocity * (1 + velocityJitter * rng.Signed());
        part.Add(new NoteEvent(start, length, pitch, (float)Math.Clamp(v, 0.05, 1.0), pan));
    }
}
