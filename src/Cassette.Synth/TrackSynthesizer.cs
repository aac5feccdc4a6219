namespace Cassette.Synth;

/// <summary>
/// Entry point the local engine calls: renders a prompt to a 44.1 kHz, 16-bit, stereo WAV.
/// The walking skeleton plays a plain minor-key chord loop; the composer replaces it.
/// </summary>
public static class TrackSynthesizer
{
    public const int SampleRate = 44100;
    public const short Channels = 2;

    public static void RenderWav(SynthRequest request, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        if (request.DurationSeconds is < SynthRequest.MinDurationSeconds or > SynthRequest.MaxDurationSeconds)
            throw new ArgumentOutOfRangeException(nameof(request), request.DurationSeconds, "Duration is out of range.");

        int frames = request.DurationSeconds * SampleRate;
        var samples = new short[frames * Channels];
        // D minor: i - iv - V - i, one chord every two seconds.
        double[][] chords = [[146.83, 174.61, 220.00], [196.00, 233.08, 293.66], [220.00, 277.18, 329.63], [146.83, 174.61, 220.00]];
        int chordFrames = 2 * SampleRate;
        for (int i = 0; i < frames; i++)
        {
            if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            var chord = chords[i / chordFrames % chords.Length];
            double t = (double)i / SampleRate;
            double local = (double)(i % chordFrames) / SampleRate;
            double envelope = Math.Min(1, local / 0.02) * Math.Exp(-local * 0.8);
            double fade = Math.Min(1, (frames - i) / (double)SampleRate);
            double left = 0, right = 0;
            for (int n = 0; n < chord.Length; n++)
            {
                double s = Math.Sin(2 * Math.PI * chord[n] * t);
                left += s * (n == 1 ? 0.6 : 1.0);
                right += s * (n == 1 ? 1.0 : 0.6);
            }
            double gain = 0.18 * envelope * fade;
            samples[2 * i] = (short)Math.Round(left * gain * short.MaxValue);
            samples[2 * i + 1] = (short)Math.Round(right * gain * short.MaxValue);
        }
        WavWriter.Write(destination, samples, SampleRate, Channels);
    }
}
