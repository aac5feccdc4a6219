using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>The happy path and the tolerances of fal's queue protocol (shared/docs/fal-queue-protocol.md).</summary>
public class ProtocolTests : IClassFixture<EngineFixture>, IDisposable
{
    private const int WavHeader = 44;
    private const int BytesPerSecond = 44100 * 2 * 2;
    private readonly TestEngine _engine;
    private readonly ITestOutputHelper _output;

    public ProtocolTests(EngineFixture fixture, ITestOutputHelper output)
    {
        _engine = fixture.Engine;
        _output = output;
    }

    /// <summary>The shared engine's log tail goes with each test's output, shown when it fails.</summary>
    public void Dispose() => _engine.WriteLogTailTo(_output);

    [Fact]
    public async Task SubmitPollAndFetchTheResultAndItsWav()
    {
        var submitted = await _engine.SubmitAsync(new { prompt = "lo-fi piano", duration = 10 });
        Assert.Equal("IN_QUEUE", submitted.Str("status"));
        Assert.Equal(submitted.Id(), submitted.Str("gateway_request_id"));
        Assert.Equal(JsonValueKind.Number, submitted.GetProperty("queue_position").ValueKind);
        Assert.Equal(_engine.BaseUrl + "CassetteAI/music-generator/requests/" + submitted.Id(), submitted.Url("response_url"));
        Assert.Equal(submitted.Url("response_url") + "/status", submitted.Url("status_url"));
        Assert.Equal(submitted.Url("response_url") + "/cancel", submitted.Url("cancel_url"));

        var seen = new HashSet<string>();
        JsonElement status;
        do
        {
            using var poll = await _engine.Client.GetAsync(submitted.Url("status_url") + "?logs=1");
            status = await Json.ReadAsync(poll);
            seen.Add(status.Str("status")!);
            Assert.Equal(status.Str("status") == "COMPLETED" ? HttpStatusCode.OK : HttpStatusCode.Accepted, poll.StatusCode);
            foreach (var key in new[] { "queue_position", "logs", "response_url", "status_url", "cancel_url", "metrics" })
                Assert.True(status.TryGetProperty(key, out _), $"status lacks {key}: {status}");
        } while (status.Str("status") != "COMPLETED");
        Assert.Subset(new HashSet<string> { "IN_QUEUE", "IN_PROGRESS", "COMPLETED" }, seen);
        Assert.True(status.GetProperty("metrics").GetProperty("inference_time").GetDouble() >= 0);
        Assert.False(status.TryGetProperty("error", out _));

        using var result = await _engine.Client.GetAsync(submitted.Url("response_url"));
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal("application/json", result.Content.Headers.ContentType?.MediaType);
        Assert.Equal(submitted.Id(), result.Headers.GetValues("x-fal-request-id").Single());
        var file = (await Json.ReadAsync(result)).GetProperty("audio_file");
        Assert.Equal("audio/wav", file.Str("content_type"));
        Assert.Equal(submitted.Id() + ".wav", file.Str("file_name"));

        using var download = new HttpClient();
        using var wav = await download.GetAsync(file.Url("url"));
        var bytes = await wav.Content.ReadAsByteArrayAsync();
        Assert.Equal(file.GetProperty("file_size").GetInt64(), wav.Content.Headers.ContentLength);
        Assert.Equal(WavHeader + 10 * BytesPerSecond, bytes.Length);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
    }

    [Fact]
    public async Task CompletedAtIsTheUtcInstantTheRequestCompleted()
    {
        var before = DateTimeOffset.UtcNow;
        var submitted = await _engine.SubmitAsync(new { prompt = "x", duration = 10 });
        var status = await _engine.WaitForCompletionAsync(submitted);
        var after = DateTimeOffset.UtcNow;
        string text = status.GetProperty("metrics").GetProperty("completed_at").GetString()!;
        Assert.EndsWith("Z", text);
        var completedAt = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(completedAt, before, after);
    }

    [Fact]
    public async Task TheOwnerAndAppAreMatchedCaseInsensitivelyAndUrlsKeepTheClientsSpelling()
    {
        var submitted = await _engine.SubmitAsync(new { prompt = "x", duration = 10 }, "cassetteai/music-generator");
        Assert.Contains("/cassetteai/music-generator/requests/", submitted.Url("status_url"));
        await _engine.WaitForCompletionAsync(submitted);
        using var other = await _engine.Client.GetAsync($"CASSETTEAI/Music-Generator/requests/{submitted.Id()}");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task TrailingSlashesAreToleratedAndTheResultIsServedAtBothPaths()
    {
        using var submit = await _engine.Client.PostAsJsonAsync(TestEngine.Music + "/", new { prompt = "x", duration = 10 });
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        var submitted = await Json.ReadAsync(submit);
        await _engine.WaitForCompletionAsync(submitted);

        using var status = await _engine.Client.GetAsync(submitted.Url("status_url") + "/?logs=1");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        string plain = await (await _engine.Client.GetAsync(submitted.Url("response_url"))).Content.ReadAsStringAsync();
        foreach (var path in new[] { "/", "/response", "/response/" })
        {
            using var result = await _engine.Client.GetAsync(submitted.Url("response_url") + path);
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            Assert.Equal(plain, await result.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("", false)]
    public async Task LogsAcceptsOneZeroTrueAndFalse(string flag, bool expectLogs)
    {
        var submitted = await _engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await _engine.WaitForCompletionAsync(submitted);
        using var response = await _engine.Client.GetAsync(submitted.Url("status_url") + "?logs=" + flag);
        var logs = (await Json.ReadAsync(response)).GetProperty("logs");
        Assert.Equal(expectLogs ? JsonValueKind.Array : JsonValueKind.Null, logs.ValueKind);
        if (expectLogs)
        {
            var entry = logs[0];
            foreach (var key in new[] { "message", "level", "source", "timestamp" })
                Assert.True(entry.TryGetProperty(key, out _), $"log entry lacks {key}");
        }
    }

    [Fact]
    public async Task EveryResponseCarriesARequestId()
    {
        using var anonymous = _engine.ClientWithoutKey();
        var responses = new List<HttpResponseMessage>
        {
            await anonymous.GetAsync("CassetteAI/music-generator/requests/x/status"),
            await _engine.Client.PostAsJsonAsync(TestEngine.Music, new { duration = 10 }),
            await _engine.Client.PostAsJsonAsync("someone/else", new { prompt = "x", duration = 10 }),
            await _engine.Client.GetAsync("CassetteAI/music-generator/requests/unknown/status"),
            await _engine.Client.GetAsync("no/such/route/at/all/here"),
        };
        foreach (var response in responses)
        {
            Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("x-fal-request-id").Single()), $"{response.RequestMessage!.RequestUri}");
            response.Dispose();
        }
        using var unknown = await _engine.Client.GetAsync("CassetteAI/music-generator/requests/unknown-id");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown-id", unknown.Headers.GetValues("x-fal-request-id").Single());
    }

    [Fact]
    public async Task UnknownModelsAndRequestsAnswer404()
    {
        using var model = await _engine.Client.PostAsJsonAsync("fal-ai/flux", new { prompt = "x", duration = 10 });
        Assert.Equal(HttpStatusCode.NotFound, model.StatusCode);
        using var subPath = await _engine.Client.PostAsJsonAsync(TestEngine.Music + "/extra", new { prompt = "x", duration = 10 });
        Assert.Equal(HttpStatusCode.NotFound, subPath.StatusCode);

        var submitted = await _engine.SubmitAsync(new { prompt = "x", duration = 10 });
        using var otherApp = await _engine.Client.GetAsync($"CassetteAI/sound-effects-generator/requests/{submitted.Id()}/status");
        Assert.Equal(HttpStatusCode.NotFound, otherApp.StatusCode);
        foreach (var path in new[] { "/status", "", "/response" })
        {
            using var response = await _engine.Client.GetAsync($"CassetteAI/music-generator/requests/{Guid.NewGuid()}{path}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task TheSoundEffectsGeneratorMakesShortClips()
    {
        var submitted = await _engine.SubmitAsync(new { prompt = "door slam", duration = 1 }, "cassetteai/sound-effects-generator");
        await _engine.WaitForCompletionAsync(submitted);
        var file = (await Json.ReadAsync(await _engine.Client.GetAsync(submitted.Url("response_url")))).GetProperty("audio_file");
        Assert.Equal(WavHeader + BytesPerSecond, file.GetProperty("file_size").GetInt64());
    }

    [Fact]
    public async Task ASeedIsPassedToTheSynthesizerAndTheSameSeedGivesTheSameAudio()
    {
        var first = await _engine.SubmitAsync(new { prompt = "ambient", duration = 10, seed = 42 });
        var second = await _engine.SubmitAsync(new { prompt = "ambient", duration = 10, seed = "42" });
        var firstStatus = await _engine.WaitForCompletionAsync(first, logs: true);
        await _engine.WaitForCompletionAsync(second);
        Assert.Contains(firstStatus.GetProperty("logs").EnumerateArray(), e => e.Str("message")!.Contains("seed 42"));
        Assert.Equal(await DownloadAsync(first), await DownloadAsync(second));
    }

    [Fact]
    public async Task FilesAreServedWithRangeSupportAndWithoutAKey()
    {
        var submitted = await _engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await _engine.WaitForCompletionAsync(submitted);
        var file = (await Json.ReadAsync(await _engine.Client.GetAsync(submitted.Url("response_url")))).GetProperty("audio_file");
        using var anonymous = new HttpClient();
        using var range = new HttpRequestMessage(HttpMethod.Get, file.Url("url"));
        range.Headers.Range = new RangeHeaderValue(4, 43);
        using var partial = await anonymous.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(40, (await partial.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(file.GetProperty("file_size").GetInt64(), partial.Content.Headers.ContentRange!.Length);

        using var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, file.Url("url")), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("bytes", head.Headers.AcceptRanges.Single());
        Assert.Equal("audio/wav", head.Content.Headers.ContentType?.MediaType);

        // A strong validator lets a client resume with If-Range; a stale one gets the whole file again.
        var etag = head.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.NotNull(head.Content.Headers.LastModified);
        using var resume = new HttpRequestMessage(HttpMethod.Get, file.Url("url"));
        resume.Headers.Range = new RangeHeaderValue(100, null);
        resume.Headers.IfRange = new RangeConditionHeaderValue(etag);
        using var resumed = await anonymous.SendAsync(resume);
        Assert.Equal(HttpStatusCode.PartialContent, resumed.StatusCode);
        using var stale = new HttpRequestMessage(HttpMethod.Get, file.Url("url"));
        stale.Headers.Range = new RangeHeaderValue(100, null);
        stale.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"another-file\""));
        using var whole = await anonymous.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(file.GetProperty("file_size").GetInt64(), whole.Content.Headers.ContentLength);

        using var wrongName = await anonymous.GetAsync(file.Url("url").Replace(".wav", "-other.wav"));
        Assert.Equal(HttpStatusCode.NotFound, wrongName.StatusCode);
    }

    private async Task<byte[]> DownloadAsync(JsonElement submitted)
    {
        var file = (await Json.ReadAsync(await _engine.Client.GetAsync(submitted.Url("response_url")))).GetProperty("audio_file");
        return await _engine.Client.GetByteArrayAsync(file.Url("url"));
    }
}
