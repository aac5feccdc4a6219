namespace Cassette.Synth.Instruments;

/// <summary>Settings of a subtractive (oscillators into a low-pass filter) instrument.</summary>
internal sealed record SubtractivePatch
{
    public int Oscillators { get; init; } = 1;
    public bool Square { get; init; }
    /// <summary>Total detune spread across the oscillators, in cents.</summary>
    public float DetuneCents { get; init; }
    /// <summary>Level of a sine one octave below, for weight.</summary>
    public float SubLevel { get; init; }
    /// <summary>Oscillators alternate left and right by this much (0 mono, 1 hard).</summary>
    public float StereoSpread { get; init; }
    public float CutoffHz { get; init; } = 2000;
    /// <summary>Cutoff follows the note: this many times the note's frequency is added to <see cref="CutoffHz"/>.</summary>
    public float KeyTrack { get; init; }
    public float EnvelopeOctaves { get; init; }
    public float FilterDecay { get; init; } = 0.2f;
    public float Resonance { get; init; } = 0.2f;
    public bool FourPole { get; init; }
    public float Attack { get; init; } = 0.005f;
    public float Decay { get; init; } = 0.3f;
    public float Sustain { get; init; } = 0.7f;
    public float Release { get; init; } = 0.1f;
    public float VibratoHz { get; init; }
    public float VibratoCents { get; init; }
    public float VibratoDelay { get; init; } = 0.3f;
    /// <summary>A slow filter sweep for pads (Hz of the LFO; depth in octaves).</summary>
    public float FilterLfoHz { get; init; }
    public float FilterLfoOctaves { get; init; }
    public float Level { get; init; } = 0.3f;

    /// <summary>
    /// The filter has no envelope, so one filter on the whole part (at the cutoff for middle C) sounds the same as one
    /// per voice, for a fraction of the cost: pads, strings and choirs hold many long notes.
    /// </summary>
    public bool SharedFilter => EnvelopeOctaves == 0f;

    /// <summary>The cutoff the shared filter uses: the base plus key tracking at middle C.</summary>
    public float SharedCutoffHz => CutoffHz + KeyTrack * 261.6f;
}
