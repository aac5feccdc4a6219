using System.Text;
using Cassette.Download;
using Cassette.Journal;
using Cassette.Protocol;

namespace Cassette.Tests;

/// <summary>The small rules behind issue 13's fixes; the end-to-end proof is in the Pester suites.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cassette-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("id:secret\r\nX-Injected: yes", "a line break")]
    [InlineData("id:secret\nX", "a line break")]
    [InlineData("id:sec\0ret", "a control character")]
    [InlineData("id:sec\tret", "a control character")]
    [InlineData("id:sec\u007Fret", "a control character")]
    [InlineData("id:secret-ü", "a character outside printable ASCII")]
    [InlineData("id:secret-€", "a character outside printable ASCII")]
    public void AKeyThatCannotTravelInAHeaderIsNamedForWhatItHas(string key, string problem) =>
        Assert.Equal(problem, ApiKeyCheck.Problem(key));

    [Fact]
    public void APrintableAsciiKeyMayBeSent() =>
        Assert.Null(ApiKeyCheck.Problem("0123abcd-ef:9f8e7d6c5b4a_XYZ.~+/="));

    [Fact]
    public void TheKeyFromTheEnvironmentIsCheckedAndNeverShown()
    {
        string? saved = Environment.GetEnvironmentVariable("FAL_KEY");
        Environment.SetEnvironmentVariable("FAL_KEY", "id:Zq9Xv\r\nX-Injected: yes");
        try
        {
            var error = Assert.Throws<CassetteException>(() => FalApiKey.Resolve(null));
            Assert.Same(CassetteErrors.InvalidApiKey, error.Error);
            Assert.Contains("FAL_KEY", error.Message);
            Assert.DoesNotContain("Zq9Xv", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("FAL_KEY", saved);
        }
    }

    [Theory]
    [InlineData(200)]
    [InlineData(237)]
    [InlineData(251)]
    public void APartialFileNameFitsIn255Bytes(int length)
    {
        string destination = Path.Combine(_folder, new string('n', length - 4) + ".wav");
        string partial = Path.GetFileName(PartialFile.NewPath(destination));
        Assert.True(Encoding.UTF8.GetByteCount(partial) <= 255, partial);
        Assert.EndsWith(".partial", partial);
    }

    [Fact]
    public void APartialFileNameIsNeverCutInsideACharacter()
    {
        // 80 four-byte characters: 320 bytes, cut to whole characters.
        string destination = Path.Combine(_folder, string.Concat(Enumerable.Repeat("\U0001F3B5", 80)) + ".wav");
        string partial = Path.GetFileName(PartialFile.NewPath(destination));
        Assert.True(Encoding.UTF8.GetByteCount(partial) <= 255);
        Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(partial)));
        Assert.False(char.IsHighSurrogate(partial[partial.IndexOf(".", 1, StringComparison.Ordinal) - 1]));
    }

    [Fact]
    public void OnlyUnlockedPartialFilesOfTheSameDestinationAreRemoved()
    {
        string destination = Path.Combine(_folder, "song.wav");
        string stale = PartialFile.NewPath(destination);
        string live = PartialFile.NewPath(destination);
        string other = PartialFile.NewPath(Path.Combine(_folder, "other.wav"));
        string lookalike = Path.Combine(_folder, ".song.wav.notmine.partial");
        foreach (string path in new[] { stale, live, other, lookalike }) File.WriteAllText(path, "x");
        using (new FileStream(live, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            Assert.Equal(1, PartialFile.RemoveStale(destination));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(lookalike));
    }

    [Fact]
    public void AFifoIsSpecialAndASymlinkIsNotFollowed()
    {
        if (OperatingSystem.IsWindows()) return;
        string fifo = Path.Combine(_folder, "pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        string link = Path.Combine(_folder, "link");
        File.CreateSymbolicLink(link, Path.Combine(_folder, "nowhere"));
        string file = Path.Combine(_folder, "file");
        File.WriteAllText(file, "x");
        Assert.Equal(FileKind.Special, UnixFileKind.Of(fifo));
        Assert.Equal(FileKind.SymbolicLink, UnixFileKind.Of(link));
        Assert.Equal(FileKind.Regular, UnixFileKind.Of(file));
        Assert.Equal(FileKind.Directory, UnixFileKind.Of(_folder));
        Assert.Equal(FileKind.Missing, UnixFileKind.Of(Path.Combine(_folder, "missing")));
    }

    [Fact]
    public void LockContentionIsRetriedAndAFullDiskIsNot()
    {
        string path = Path.Combine(_folder, "locked.jsonl");
        using var holder = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var contention = Assert.ThrowsAny<IOException>(() => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        Assert.True(JournalLock.IsHeldByAnother(contention));
        if (!File.Exists("/dev/full")) return;
        var full = Assert.ThrowsAny<IOException>(() =>
        {
            using var stream = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            stream.Write(new byte[16]);
            stream.Flush(flushToDisk: true);
        });
        Assert.False(JournalLock.IsHeldByAnother(full));
    }

    [Theory]
    [InlineData("{\"v\":1,\"event\":\"submitted\",\"request_id\":\"r\",\"model\":\"CassetteAI/music-generator\",\"estimated_cost\":1e30,\"queue_url\":\"http://127.0.0.1:1/\"}", "estimated_cost")]
    [InlineData("{\"v\":1,\"event\":\"submitted\",\"request_id\":\"r\",\"model\":\"not a model\",\"queue_url\":\"http://127.0.0.1:1/\"}", "model")]
    [InlineData("{\"v\":1,\"event\":\"submitted\",\"request_id\":\"r\",\"duration\":1e300,\"queue_url\":\"http://127.0.0.1:1/\"}", "duration")]
    [InlineData("{\"v\":1,\"event\":\"submitted\",\"request_id\":\"r\",\"queue_url\":\"ftp://127.0.0.1/\"}", "queue_url")]
    [InlineData("{\"v\":1,\"event\":\"status\",\"request_id\":\"r\",\"status\":\"Exploded\"}", "status")]
    [InlineData("{\"v\":1,\"event\":\"submitted\",\"request_id\":42}", "request_id")]
    [InlineData("[1,2]", "object")]
    [InlineData("{\"v\":1,\"event\":\"submi", "JSON")]
    public void AJournalLineThatCannotBeUsedSaysWhy(string text, string reason)
    {
        Assert.Null(JournalLine.Parse(text, out string? problem));
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void AJournalLineOfANewerVersionIsIgnoredQuietly()
    {
        Assert.Null(JournalLine.Parse("{\"v\":2,\"event\":\"batch\",\"request_id\":\"r\"}", out string? problem));
        Assert.Null(problem);
    }

    [Fact]
    public void AJournalLineKeepsNoPasswordAndNoUrlThatIsNotHttp()
    {
        var line = JournalLine.Parse("{\"v\":1,\"event\":\"submitted\",\"request_id\":\"r\",\"queue_url\":\"http://user:pw@127.0.0.1:1/\"," +
            "\"status_url\":\"file:///etc/passwd\",\"response_url\":\"http://127.0.0.1:1/r\"}", out _);
        Assert.NotNull(line);
        Assert.Equal("http://127.0.0.1:1/", line!.QueueUrl!.AbsoluteUri);
        Assert.Null(line.StatusUrl);
        Assert.Equal("http://127.0.0.1:1/r", line.ResponseUrl!.AbsoluteUri);
    }
}

/// <summary>What the hostile-server fuzz test found in RetryPolicy.</summary>
public sealed class HostileRetryAfterTests
{
    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("1e300")]
    [InlineData("Infinity")]
    public void AnEnormousRetryAfterIsCappedInsteadOfOverflowing(string value)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", value);
        Assert.Equal(Cassette.Http.RetryPolicy.MaxRetryAfter, Cassette.Http.RetryPolicy.RetryAfter(response, DateTimeOffset.UtcNow));
    }
}
