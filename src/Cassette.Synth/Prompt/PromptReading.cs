namespace Cassette.Synth.Prompt;

/// <summary>
/// What the composer takes from a prompt. Whatever the prompt leaves open is filled from the genre's usual range,
/// chosen from a hash of the prompt, so the same prompt always reads the same way.
/// </summary>
public sealed record PromptReading(
    Genre Genre,
    Flavour Flavour,
    MusicalKey Key,
    bool KeyFromPrompt,
    double Bpm,
    bool TempoFromPrompt,
    double Energy,
    double Brightness,
    IReadOnlyList<InstrumentWord> Instruments,
    ulong PromptHash)
{
    public override string ToString()
    {
        string genre = Flavour == Flavour.None ? Genre.ToString() : $"{Genre} ({Flavour})";
        string instruments = Instruments.Count == 0 ? "genre defaults" : string.Join(", ", Instruments);
        return $"{genre}, {Key}{(KeyFromPrompt ? "" : " (chosen)")}, {Bpm:0.#} BPM{(TempoFromPrompt ? "" : " (chosen)")}, " +
               $"energy {Energy:+0.0;-0.0;0}, brightness {Brightness:+0.0;-0.0;0}, instruments: {instruments}";
    }
}
