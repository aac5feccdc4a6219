namespace Cassette.Synth.Instruments;

/// <summary>
/// One sounding note. A voice keeps its own state between blocks and adds itself into the part's stereo buffers;
/// it reports when it has died away so the renderer can drop it.
/// </summary>
internal abstract class Voice(long start, int length, float pan)
{
    public const float SampleRate = 44100f;

    /// <summary>The sample the voice starts at.</summary>
    public long Start { get; } = start;

    /// <summary>Samples left before the note is released.</summary>
    protected int HeldSamples = Math.Max(1, length);

    // Equal-power pan gains; exactly equal in the centre, so a centred voice renders identical channels.
    protected readonly float GainLeft = pan == 0f ? MathF.Sqrt(0.5f) : MathF.Cos((Math.Clamp(pan, -1f, 1f) + 1f) * MathF.PI / 4f);
    protected readonly float GainRight = pan == 0f ? MathF.Sqrt(0.5f) : MathF.Sin((Math.Clamp(pan, -1f, 1f) + 1f) * MathF.PI / 4f);

    /// <summary>Seconds to fall 60 dB after note-off; 0 for sounds that play out on their own (drums).</summary>
    public abstract float ReleaseSeconds { get; }

    /// <summary>Adds the next <c>left.Length</c> samples. Returns false once the voice is silent for good.</summary>
    public abstract bool Render(Span<float> left, Span<float> right);

    public static float Frequency(float midiNote) => 440f * MathF.Pow(2f, (midiNote - 69f) / 12f);
}
