using Cassette.Download;

namespace Cassette.Tests;

/// <summary>Save -SkipExisting's checks: what counts as a complete WAV, and which temporary files a killed save left.</summary>
public sealed class SkipExistingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-skip-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Wav(int dataBytes)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8.ToArray()); writer.Write(36 + dataBytes); writer.Write("WAVEfmt "u8.ToArray());
        writer.Write(16); writer.Write((short)1); writer.Write((short)2); writer.Write(44100); writer.Write(44100 * 4); writer.Write((short)4); writer.Write((short)16);
        writer.Write("data"u8.ToArray()); writer.Write(dataBytes); writer.Write(new byte[dataBytes]);
        writer.Flush();
        return stream.ToArray();
    }

    [Fact]
    public void AWholeWavOfTheExpectedSizeIsCompleteAndNothingElseIs()
    {
        string path = Path.Combine(_folder, "a.wav");
        byte[] wav = Wav(4000);
        File.WriteAllBytes(path, wav);
        Assert.NotNull(ExistingAudio.ReadIfComplete(path, wav.Length));
        Assert.NotNull(ExistingAudio.ReadIfComplete(path, null));
        Assert.Null(ExistingAudio.ReadIfComplete(path, wav.Length + 1));
        File.WriteAllBytes(path, wav.Take(3000).ToArray());
        Assert.Null(ExistingAudio.ReadIfComplete(path, null));
        File.WriteAllBytes(path, wav.Concat(new byte[10]).ToArray());
        Assert.Null(ExistingAudio.ReadIfComplete(path, null));
        File.WriteAllText(path, "<html>not audio</html>");
        Assert.Null(ExistingAudio.ReadIfComplete(path, null));
        Assert.Null(ExistingAudio.ReadIfComplete(Path.Combine(_folder, "missing.wav"), null));
    }

    [Fact]
    public void OnlyTheDestinationsAbandonedPartialsAreRemovedNeverOneInUse()
    {
        string destination = Path.Combine(_folder, "song-1a2b3c4d.wav");
        string abandoned = Path.Combine(_folder, ".song-1a2b3c4d.wav.0badc0de.partial");
        string inUse = Path.Combine(_folder, ".song-1a2b3c4d.wav.12345678.partial");
        string otherTrack = Path.Combine(_folder, ".other.wav.0badc0de.partial");
        string notOurs = Path.Combine(_folder, ".song-1a2b3c4d.wav.notours.partial");
        foreach (var path in new[] { abandoned, inUse, otherTrack, notOurs }) File.WriteAllBytes(path, new byte[10]);
        using (new FileStream(inUse, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            StalePartials.Remove(destination, null);
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(inUse));
        Assert.True(File.Exists(otherTrack));
        Assert.True(File.Exists(notOurs));
    }
}
