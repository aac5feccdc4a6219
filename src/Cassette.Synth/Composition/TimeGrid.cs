namespace Cassette.Synth.Composition;

/// <summary>
/// Beats to samples at a fixed tempo, with swing: an off-beat subdivision is moved to <see cref="Swing"/> of its
/// pair (0.5 straight, 0.667 triplet). Jazz swings eighths; the rest swing sixteenths.
/// </summary>
internal sealed class TimeGrid(double bpm, double swing, bool swingEighths, int sampleRate)
{
    public double Bpm { get; } = bpm;
    public double Swing { get; } = swing;
    public int SampleRate { get; } = sampleRate;
    public double SamplesPerBeat => 60.0 * SampleRate / Bpm;
    public double SamplesPerBar => 4 * SamplesPerBeat;
    public double BarSeconds => 240.0 / Bpm;

    /// <summary>The sample where a beat position (in quarter notes from the start) falls once swing is applied.</summary>
    public long Sample(double beat) => (long)Math.Round(SwungBeat(beat) * SamplesPerBeat);

    public int Samples(double beats) => (int)Math.Round(beats * SamplesPerBeat);

    private double SwungBeat(double beat)
    {
        if (Swing <= 0.501) return beat;
        double unit = swingEighths ? 1.0 : 0.5; // the length of one swung pair
        double pairs = Math.Floor(beat / unit);
        double within = beat / unit - pairs; // 0..1 through the pair
        // Piecewise-linear map that sends the pair's midpoint to the swing point.
        double swung = within < 0.5 ? within / 0.5 * Swing : Swing + (within - 0.5) / 0.5 * (1 - Swing);
        return (pairs + swung) * unit;
    }
}
