using System.Net;
using Cassette.Download;

namespace Cassette.Tests;

public sealed class DownloadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-download-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Wav(int seconds) => WavInfoTests.Wav(44100, 2, 44100 * 4 * seconds, 44100 * 4 * seconds);

    [Fact]
    public async Task TheFileHostGetsNoAuthorizationAndTheFileArrivesWhole()
    {
        var handler = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Wav(1)) });
        string target = Path.Combine(_folder, "a.wav");
        long reported = 0;
        var info = await new AudioDownloader(new HttpClient(handler)).DownloadAsync(new Uri("https://cdn.test/a.wav"), target, false, null,
            (done, _) => reported = done, null, CancellationToken.None);
        Assert.False(Assert.Single(handler.Requests).Headers.ContainsKey("Authorization"));
        Assert.Equal(1.0, info.DurationSeconds, 6);
        Assert.Equal(new FileInfo(target).Length, reported);
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task ProgressComesInStepsNotOnEveryReadAndEndsAtTheWholeFile()
    {
        byte[] wav = Wav(10);
        var handler = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(wav) });
        var reports = new List<long>();
        await new AudioDownloader(new HttpClient(handler)).DownloadAsync(new Uri("https://cdn.test/a.wav"), Path.Combine(_folder, "a.wav"), false, null,
            (done, _) => reports.Add(done), null, CancellationToken.None);
        // The body arrives in reads of at most 64 KiB (28 of them here); progress is the first read, each 512 KiB step, and the end.
        Assert.InRange(reports.Count, 2, 2 + wav.Length / AudioDownloader.ProgressStep);
        Assert.Equal(wav.Length, reports[^1]);
        Assert.Equal(reports.OrderBy(r => r).Distinct(), reports);
    }

    [Fact]
    public async Task ABodyThatIsNotAWavLeavesNoFile()
    {
        var handler = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>oops</html>") });
        var error = await Assert.ThrowsAsync<CassetteException>(() => new AudioDownloader(new HttpClient(handler))
            .DownloadAsync(new Uri("https://cdn.test/a.wav"), Path.Combine(_folder, "a.wav"), false, null, null, null, CancellationToken.None));
        Assert.Same(CassetteErrors.InvalidAudio, error.Error);
        Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task AFolderThatCannotBeWrittenToIsAFileErrorWithTheCauseInside()
    {
        var handler = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Wav(1)) });
        var error = await Assert.ThrowsAsync<CassetteException>(() => new AudioDownloader(new HttpClient(handler))
            .DownloadAsync(new Uri("https://cdn.test/a.wav"), Path.Combine(_folder, "gone", "a.wav"), false, null, null, null, CancellationToken.None));
        Assert.Same(CassetteErrors.FileError, error.Error);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
    }

    [Fact]
    public async Task AFolderWithoutPermissionIsAccessDenied()
    {
        // sysfs refuses to create files for everyone, root included; Windows has no such folder.
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/sys/kernel")) return;
        var handler = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Wav(1)) });
        var error = await Assert.ThrowsAsync<CassetteException>(() => new AudioDownloader(new HttpClient(handler))
            .DownloadAsync(new Uri("https://cdn.test/a.wav"), "/sys/kernel/cassette-test.wav", false, null, null, null, CancellationToken.None));
        Assert.Same(CassetteErrors.AccessDenied, error.Error);
        Assert.IsType<UnauthorizedAccessException>(error.InnerException);
    }

    [Fact]
    public async Task AFileShorterThanTheResultAnnouncedLeavesNoFile()
    {
        var handler = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Wav(1)) });
        var error = await Assert.ThrowsAsync<CassetteException>(() => new AudioDownloader(new HttpClient(handler))
            .DownloadAsync(new Uri("https://cdn.test/a.wav"), Path.Combine(_folder, "a.wav"), false, 999_999, null, null, CancellationToken.None));
        Assert.Equal("DownloadIncomplete", error.ErrorId);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://cdn.test/a.wav")]
    public async Task OnlyHttpAndHttpsAreFetched(string url)
    {
        var handler = new FakeHandler((_, _) => throw new InvalidOperationException("nothing may be sent"));
        var error = await Assert.ThrowsAsync<CassetteException>(() => new AudioDownloader(new HttpClient(handler))
            .DownloadAsync(new Uri(url), Path.Combine(_folder, "a.wav"), false, null, null, null, CancellationToken.None));
        Assert.Equal("UnsupportedUrlScheme", error.ErrorId);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("CON", "req-1234abcd", "con-req-1234.wav")]
    [InlineData("../../etc/passwd", "abc", "etc-passwd-abc.wav")]
    [InlineData("  ", null, "track.wav")]
    [InlineData("Été à Paris — 120 BPM", "9f8e7d6c5b", "t-paris-120-bpm-9f8e7d6c.wav")]
    public void DefaultNamesAreSafeEverywhere(string prompt, string? requestId, string expected) =>
        Assert.Equal(expected, SafeFileName.ForTrack(prompt, requestId));

    [Theory]
    [InlineData("https://cdn.test/files/x/NUL.wav", "audio-NUL.wav")]
    [InlineData("https://cdn.test/files/x/..%2F..%2Fevil.wav", "evil.wav")]
    [InlineData("https://cdn.test/", "audio.wav")]
    public void NamesFromUrlsAreSafeEverywhere(string url, string expected) =>
        Assert.Equal(expected, SafeFileName.ForUrl(new Uri(url)));
}
