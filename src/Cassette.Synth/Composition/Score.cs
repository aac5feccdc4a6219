namespace Cassette.Synth.Composition;

/// <summary>Everything the renderer needs: the parts, the length in samples and the mastering choices.</summary>
internal sealed class Score(int totalFrames, double bpm, IReadOnlyList<Part> parts, MasterSettings master)
{
    public int TotalFrames { get; } = totalFrames;
    public double Bpm { get; } = bpm;
    public IReadOnlyList<Part> Parts { get; } = parts;
    public MasterSettings Master { get; } = master;
}
