using System.Buffers.Binary;
using System.Text.Json;
using Cassette.LocalEngine.Queue;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// --BenchmarkAudio: every request gets the same pre-rendered clip, looped and trimmed to its duration, as a valid
/// 44.1 kHz 16-bit stereo WAV of exactly that length. That the prompt no longer changes the audio is what shows no
/// render took place.
/// </summary>
public sealed class BenchmarkAudioTests(ITestOutputHelper output)
{
    private const int BytesPerSecond = 44100 * 4;

    [Fact]
    public async Task EveryRequestGetsTheClipLoopedToItsExactDuration()
    {
        await using var engine = await TestEngine.StartAsync(output, "--BenchmarkAudio", "true");
        var tenSeconds = await engine.SubmitAsync(new { prompt = "dark techno, 132 BPM", duration = 10 });
        var thirteenSeconds = await engine.SubmitAsync(new { prompt = "solo piano ballad in F# minor", duration = 13, seed = 5 });
        var oneSecond = await engine.SubmitAsync(new { prompt = "door slam", duration = 1 }, TestEngine.SoundEffects);

        byte[] ten = await DownloadAsync(engine, tenSeconds);
        byte[] thirteen = await DownloadAsync(engine, thirteenSeconds);
        byte[] one = await DownloadAsync(engine, oneSecond);

        AssertWavHeader(ten, 10);
        AssertWavHeader(thirteen, 13);
        AssertWavHeader(one, 1);
        var clip = ten.AsSpan(44);
        Assert.Contains(clip.ToArray(), b => b != 0);
        // Different prompts, same clip: the 13 s file is the whole clip, then its first 3 s faded out at the cut.
        Assert.True(thirteen.AsSpan(44, clip.Length).SequenceEqual(clip));
        var tail = thirteen.AsSpan(44 + clip.Length);
        int fadeStart = 3 * BytesPerSecond - 441 * 4;
        Assert.True(tail[..fadeStart].SequenceEqual(clip[..fadeStart]));
        Assert.True(one.AsSpan(44, BytesPerSecond - 441 * 4).SequenceEqual(clip[..(BytesPerSecond - 441 * 4)]));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(thirteen.AsSpan(thirteen.Length - 4)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(one.AsSpan(one.Length - 4)));
    }

    [Fact]
    public void TheFadeAtACutOnlyEverLowersTheLevel()
    {
        var clip = new LoopedClip();
        using var full = new MemoryStream();
        using var cut = new MemoryStream();
        clip.WriteWav(full, LoopedClip.ClipSeconds, CancellationToken.None);
        clip.WriteWav(cut, 2, CancellationToken.None);
        var original = full.ToArray().AsSpan(44, 2 * BytesPerSecond);
        var faded = cut.ToArray().AsSpan(44);
        Assert.Equal(original.Length, faded.Length);
        for (int i = 0; i < faded.Length; i += 2)
        {
            short before = BinaryPrimitives.ReadInt16LittleEndian(original[i..]), after = BinaryPrimitives.ReadInt16LittleEndian(faded[i..]);
            Assert.True(Math.Abs((int)after) <= Math.Abs((int)before) && (after == 0 || Math.Sign(after) == Math.Sign(before)), $"sample {i / 2}: {before} became {after}");
        }
    }

    [Fact]
    public void ACancelledRequestWritesNothing()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        using var destination = new MemoryStream();
        Assert.Throws<OperationCanceledException>(() => new LoopedClip().WriteWav(destination, 30, source.Token));
        Assert.Equal(0, destination.Length);
    }

    private static async Task<byte[]> DownloadAsync(TestEngine engine, JsonElement submitted)
    {
        await engine.WaitForCompletionAsync(submitted);
        var result = await Json.ReadAsync(await engine.Client.GetAsync(submitted.Url("response_url")));
        return await engine.Client.GetByteArrayAsync(result.GetProperty("audio_file").Url("url"));
    }

    private static void AssertWavHeader(byte[] wav, int seconds)
    {
        Assert.Equal(44 + seconds * BytesPerSecond, wav.Length);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(wav, 8, 4));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20)));     // PCM
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));     // stereo
        Assert.Equal(44100, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)));
        Assert.Equal(seconds * BytesPerSecond, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)));
    }
}
