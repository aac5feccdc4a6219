using System.Buffers.Binary;
using Cassette.Synth;

namespace Cassette.LocalEngine.Queue;

/// <summary>
/// The audio of --BenchmarkAudio: one short track rendered once, on first use, and written for every request
/// looped and trimmed to the requested length. A request then costs a file write instead of a render, so a
/// benchmark of many parallel requests measures the queue and its clients, with --ProcessingSeconds as the only
/// server time. The file is still a valid 44.1 kHz, 16-bit stereo WAV of exactly the requested duration.
/// </summary>
public sealed class LoopedClip
{
    public const int ClipSeconds = 10;
    private const string ClipPrompt = "calm lo-fi, Key: C Major, Tempo: 90 BPM";
    private const int BytesPerFrame = 4; // 16-bit stereo
    private const int FadeFrames = TrackSynthesizer.SampleRate / 100; // 10 ms: a cut mid-note would click

    // The synthesizer fades the clip in and out, so the loop points are silent and join without a click.
    private readonly Lazy<byte[]> _pcm = new(RenderClip, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Writes a WAV of <paramref name="durationSeconds"/> to <paramref name="destination"/>.</summary>
    public void WriteWav(Stream destination, int durationSeconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(durationSeconds, SynthRequest.MinDurationSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(durationSeconds, SynthRequest.MaxDurationSeconds);
        cancellationToken.ThrowIfCancellationRequested();
        byte[] clip = _pcm.Value;
        long frames = (long)durationSeconds * TrackSynthesizer.SampleRate;
        WavWriter.WriteHeader(destination, TrackSynthesizer.SampleRate, TrackSynthesizer.Channels, 16, frames);
        long total = frames * BytesPerFrame;
        long written = 0;
        while (written < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(clip.Length, total - written);
            if (written + count < total || count == clip.Length)
                destination.Write(clip, 0, count);
            else
                destination.Write(FadedEnding(clip, count));
            written += count;
        }
    }

    /// <summary>The first <paramref name="count"/> bytes of the clip, faded out over their last 10 ms.</summary>
    private static byte[] FadedEnding(byte[] clip, int count)
    {
        var bytes = clip.AsSpan(0, count).ToArray();
        int frames = count / BytesPerFrame;
        int fade = Math.Min(FadeFrames, frames);
        for (int f = frames - fade; f < frames; f++)
        {
            float gain = (frames - 1 - f) / (float)fade;
            for (int channel = 0; channel < 2; channel++)
            {
                var sample = bytes.AsSpan(f * BytesPerFrame + channel * 2, 2);
                BinaryPrimitives.WriteInt16LittleEndian(sample, (short)MathF.Round(BinaryPrimitives.ReadInt16LittleEndian(sample) * gain));
            }
        }
        return bytes;
    }

    private static byte[] RenderClip()
    {
        using var wav = new MemoryStream();
        TrackSynthesizer.RenderWav(new SynthRequest(ClipPrompt, ClipSeconds, Seed: 1), wav);
        return wav.GetBuffer().AsSpan(WavWriter.HeaderSize, (int)wav.Length - WavWriter.HeaderSize).ToArray();
    }
}
