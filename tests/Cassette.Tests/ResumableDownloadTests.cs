using System.Net;
using System.Net.Http.Headers;
using Cassette.Http;
using Cassette.Download;
using Cassette.Protocol;

namespace Cassette.Tests;

/// <summary>Downloads that break off, stop short or stall are resumed (Range + If-Range) or restarted, never left half-written.</summary>
public sealed class ResumableDownloadTests : IDisposable
{
    private static readonly Uri Url = new("https://cdn.test/files/req-1/req-1.wav");
    private static readonly DateTimeOffset Modified = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-resume-").FullName;
    private readonly byte[] _wav = WavInfoTests.Wav(44100, 2, 44100 * 4, 44100 * 4);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Target => Path.Combine(_folder, "a.wav");

    private static AudioDownloader Downloader(FakeHandler handler, int retries = 3, int readTimeoutMs = 5000) =>
        new(new HttpClient(handler), new RetryPolicy(retries, delay: (_, _) => Task.CompletedTask), TimeSpan.FromMilliseconds(readTimeoutMs));

    /// <summary>A 200 that announces the whole file but whose body ends (cleanly) after <paramref name="sent"/> bytes.</summary>
    private HttpResponseMessage CutShort(int sent, Stream? tail = null)
    {
        Stream body = new MemoryStream(_wav, 0, sent);
        if (tail != null) body = new ConcatenatedStream(body, tail);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) };
        response.Content.Headers.ContentLength = _wav.Length;
        response.Content.Headers.LastModified = Modified;
        return response;
    }

    private HttpResponseMessage Rest(long from)
    {
        var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(_wav, (int)from, _wav.Length - (int)from) };
        response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, _wav.Length - 1, _wav.Length);
        return response;
    }

    private HttpResponseMessage Whole() => new(HttpStatusCode.OK) { Content = new ByteArrayContent(_wav) };

    [Fact]
    public async Task ABodyCutShortIsResumedWithRangeAndIfRangeAndArrivesWhole()
    {
        var handler = new FakeHandler((_, n) => n == 1 ? CutShort(10_000) : Rest(10_000));
        var resumes = new List<string>();
        await Downloader(handler).DownloadAsync(Url, Target, false, _wav.Length, null, resumes.Add, CancellationToken.None);

        Assert.Equal(_wav, File.ReadAllBytes(Target));
        Assert.Equal(2, handler.Requests.Count);
        var resumed = handler.Requests[1];
        Assert.Equal("bytes=10000-", resumed.Headers["Range"]);
        Assert.Equal(Modified.ToString("r"), resumed.Headers["If-Range"]);
        Assert.Contains(resumes, m => m.Contains("resuming at byte 10000"));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task AStrongETagIsTheValidatorWhenTheHostSendsOne()
    {
        var handler = new FakeHandler((_, n) =>
        {
            if (n > 1) return Rest(4096);
            var first = CutShort(4096);
            first.Headers.ETag = new EntityTagHeaderValue("\"v1\"");
            return first;
        });
        await Downloader(handler).DownloadAsync(Url, Target, false, null, null, null, CancellationToken.None);
        Assert.Equal("\"v1\"", handler.Requests[1].Headers["If-Range"]);
        Assert.Equal(_wav, File.ReadAllBytes(Target));
    }

    [Fact]
    public async Task AHostThatAnswersTheResumeWithTheWholeFileStartsItAgain()
    {
        var handler = new FakeHandler((_, n) => n == 1 ? CutShort(10_000) : Whole());
        await Downloader(handler).DownloadAsync(Url, Target, false, null, null, null, CancellationToken.None);
        Assert.Equal(_wav, File.ReadAllBytes(Target));
    }

    [Fact]
    public async Task ARangeThatDoesNotContinueTheFileIsNotAppended()
    {
        var handler = new FakeHandler((_, n) => n switch { 1 => CutShort(10_000), 2 => Rest(5_000), _ => Whole() });
        await Downloader(handler).DownloadAsync(Url, Target, false, null, null, null, CancellationToken.None);
        Assert.Equal(3, handler.Requests.Count);
        Assert.False(handler.Requests[2].Headers.ContainsKey("Range"), "after a misplaced range the file starts over");
        Assert.Equal(_wav, File.ReadAllBytes(Target));
    }

    [Fact]
    public async Task AStalledBodyTimesOutAndIsResumed()
    {
        var handler = new FakeHandler((_, n) => n == 1 ? CutShort(8192, new SilentStream()) : Rest(8192));
        var resumes = new List<string>();
        await Downloader(handler, readTimeoutMs: 200).DownloadAsync(Url, Target, false, null, null, resumes.Add, CancellationToken.None);
        Assert.Equal(_wav, File.ReadAllBytes(Target));
        Assert.Contains(resumes, m => m.Contains("sent nothing") && m.Contains("resuming at byte 8192"));
    }

    [Fact]
    public async Task ADownloadThatKeepsBreakingOffFailsAfterTheRetriesAndLeavesNoFile()
    {
        var handler = new FakeHandler((_, _) => CutShort(1000));
        var error = await Assert.ThrowsAsync<CassetteException>(() =>
            Downloader(handler, retries: 2).DownloadAsync(Url, Target, false, null, null, null, CancellationToken.None));
        Assert.Equal("DownloadIncomplete", error.ErrorId);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task AStallThatNeverEndsIsReportedAsDownloadStalled()
    {
        var handler = new FakeHandler((_, _) => CutShort(100, new SilentStream()));
        var error = await Assert.ThrowsAsync<CassetteException>(() =>
            Downloader(handler, retries: 1, readTimeoutMs: 100).DownloadAsync(Url, Target, false, null, null, null, CancellationToken.None));
        Assert.Equal("DownloadStalled", error.ErrorId);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task ATransientAnswerIsRetriedAndAMissingFileIsNot()
    {
        var busy = new FakeHandler((_, n) => n == 1 ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : Whole());
        await Downloader(busy).DownloadAsync(Url, Target, false, null, null, null, CancellationToken.None);
        Assert.Equal(2, busy.Requests.Count);

        var missing = new FakeHandler((_, _) => new HttpResponseMessage(HttpStatusCode.NotFound));
        var error = await Assert.ThrowsAsync<CassetteException>(() =>
            Downloader(missing).DownloadAsync(Url, Path.Combine(_folder, "b.wav"), false, null, null, null, CancellationToken.None));
        Assert.Equal("DownloadFailed", error.ErrorId);
        Assert.Single(missing.Requests);
    }

    [Fact]
    public async Task AnAnnouncedSizeBeyondAnyTrackIsRefusedBeforeAnythingIsWritten()
    {
        var huge = new FakeHandler((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SilentStream()) };
            response.Content.Headers.ContentLength = 1_000_000_000_000;
            return response;
        });
        var error = await Assert.ThrowsAsync<CassetteException>(() => Downloader(huge).DownloadAsync(Url, Target, false, null, null, null, CancellationToken.None));
        Assert.Equal("AudioTooLarge", error.ErrorId);
        Assert.Single(huge.Requests);
        Assert.Empty(Directory.GetFiles(_folder));

        var never = new FakeHandler((_, _) => throw new InvalidOperationException("nothing may be sent"));
        error = await Assert.ThrowsAsync<CassetteException>(() =>
            Downloader(never).DownloadAsync(Url, Target, false, AudioDownloader.MaxAudioBytes + 1, null, null, CancellationToken.None));
        Assert.Equal("AudioTooLarge", error.ErrorId);
        Assert.Empty(never.Requests);
    }

    [Fact]
    public void TheLimitHoldsTheLongestTrackWithRoomToSpare()
    {
        long longest = 44 + 180L * 44100 * 2 * 2;
        Assert.InRange(AudioDownloader.MaxAudioBytes, longest * 2, longest * 3);
    }
}
