using Cassette.Synth.Composition;
using Cassette.Synth.Mixing;
using Cassette.Synth.Prompt;
using Cassette.Synth.Rendering;

namespace Cassette.Synth;

/// <summary>
/// Entry point the local engine calls: reads the prompt, composes a piece in its genre, key and tempo, renders and
/// masters it, and writes a 44.1 kHz, 16-bit, stereo WAV of exactly the asked length. It is an algorithmic
/// composer and synthesizer, not a neural model. The same prompt and seed always give the same bytes.
/// </summary>
public static class TrackSynthesizer
{
    public const int SampleRate = Composer.SampleRate;
    public const short Channels = 2;

    public static void RenderWav(SynthRequest request, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        if (request.DurationSeconds is < SynthRequest.MinDurationSeconds or > SynthRequest.MaxDurationSeconds)
            throw new ArgumentOutOfRangeException(nameof(request), request.DurationSeconds, "Duration is out of range.");

        var reading = PromptReader.Read(request.Prompt);
        var score = Composer.Compose(reading, request.DurationSeconds, request.Seed);
        float tonicHz = 440f * MathF.Pow(2f, (33 + (reading.Key.Tonic - 9 + 12) % 12 - 69) / 12f);
        WavWriter.WriteHeader(destination, SampleRate, Channels, 16, score.TotalFrames);
        TrackRenderer.Render(score, tonicHz, destination, cancellationToken);
    }
}
