using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>Each kind of fault, fired through the control API against a real loopback engine.</summary>
public class FaultInjectionTests : IClassFixture<FaultEngineFixture>, IAsyncLifetime
{
    private static readonly object Input = new { prompt = "x", duration = 10 };
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    private readonly TestEngine _engine;
    private readonly ITestOutputHelper _output;

    public FaultInjectionTests(FaultEngineFixture fixture, ITestOutputHelper output)
    {
        _engine = fixture.Engine;
        _output = output;
    }

    public Task InitializeAsync() => _engine.ClearFaultsAsync();

    public Task DisposeAsync()
    {
        _engine.WriteLogTailTo(_output);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AnHttpFaultWithAnErrorTypeAnswersFalsBodyAndHeaderForCountCalls()
    {
        var submitted = await _engine.SubmitAsync(Input);
        var rule = await _engine.AddFaultAsync(new { target = "status", requestId = submitted.Id(), kind = "http", status = 503, errorType = "runner_scheduling_failure", count = 2 });
        for (int i = 0; i < 2; i++)
        {
            using var failed = await _engine.Client.GetAsync(submitted.Url("status_url"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal("runner_scheduling_failure", failed.Headers.GetValues("X-Fal-Error-Type").Single());
            var body = await Json.ReadAsync(failed);
            Assert.Equal("runner_scheduling_failure", body.Str("error_type"));
            Assert.False(string.IsNullOrEmpty(body.Str("detail")));
            Assert.Equal(submitted.Id(), failed.Headers.GetValues("x-fal-request-id").Single());
        }
        await _engine.StatusAsync(submitted);
        var after = await Json.ReadAsync(await _engine.Client.GetAsync("_engine/faults/" + rule.Url("id")));
        Assert.Equal(2, after.GetProperty("fired").GetInt32());
        Assert.Equal(0, after.GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task RetryAfterComesInSecondsOrAsAnHttpDate()
    {
        await _engine.AddFaultAsync(new { target = "submit", kind = "http", status = 429, retryAfter = 3 });
        await _engine.AddFaultAsync(new { target = "submit", kind = "http", status = 429, retryAfter = 3, retryAfterFormat = "http-date" });
        using (var seconds = await _engine.PostSubmitAsync(Input))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, seconds.StatusCode);
            Assert.Equal("3", seconds.Headers.GetValues("Retry-After").Single());
        }
        using (var date = await _engine.PostSubmitAsync(Input))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, date.StatusCode);
            Assert.NotNull(date.Headers.RetryAfter!.Date);
            Assert.EndsWith("GMT", date.Headers.GetValues("Retry-After").Single());
        }
        await _engine.SubmitAsync(Input);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task AnHttpFaultWithoutABodyIsEmpty(int status)
    {
        await _engine.AddFaultAsync(new { target = "submit", kind = "http", status });
        using var response = await _engine.PostSubmitAsync(Input);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.False(response.Headers.Contains("X-Fal-Error-Type"));
    }

    [Fact]
    public async Task AnHttpFaultCanSendARawBody()
    {
        await _engine.AddFaultAsync(new { target = "submit", kind = "http", status = 502, body = "<html>Bad Gateway</html>", contentType = "text/html" });
        using var response = await _engine.PostSubmitAsync(Input);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("<html>Bad Gateway</html>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SkipLetsCallsThroughFirstAndRequestIdScopesARule()
    {
        var watched = await _engine.SubmitAsync(Input);
        var other = await _engine.SubmitAsync(Input);
        await _engine.AddFaultAsync(new { target = "status", requestId = watched.Id(), kind = "http", status = 500, skip = 1 });
        await _engine.StatusAsync(other);
        await _engine.StatusAsync(watched);
        using var failed = await _engine.Client.GetAsync(watched.Url("status_url"));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
    }

    [Fact]
    public async Task AResetDropsTheConnectionWithoutAnAnswer()
    {
        await _engine.AddFaultAsync(new { target = "any", kind = "reset" });
        await Assert.ThrowsAsync<HttpRequestException>(() => _engine.PostSubmitAsync(Input));
        await _engine.SubmitAsync(Input);
    }

    [Fact]
    public async Task ADroppedResponseStillQueuesTheSubmission()
    {
        long before = await _engine.CallCountAsync("submit");
        await _engine.AddFaultAsync(new { target = "submit", kind = "drop-response" });
        await Assert.ThrowsAsync<HttpRequestException>(() => _engine.PostSubmitAsync(Input));
        // The submit route answered (and so queued the request) before the fault dropped its answer.
        Assert.Equal(before + 1, await _engine.CallCountAsync("submit"));
    }

    [Fact]
    public async Task ADelayedCallStillAnswersNormally()
    {
        await _engine.AddFaultAsync(new { target = "submit", kind = "delay", delayMs = 300 });
        var submitted = await _engine.SubmitAsync(Input);
        Assert.Equal("IN_QUEUE", submitted.Str("status"));
    }

    [Fact]
    public async Task InvalidJsonIsServedAsJson()
    {
        var submitted = await _engine.SubmitAsync(Input);
        await _engine.AddFaultAsync(new { target = "status", kind = "invalid-json" });
        using var response = await _engine.Client.GetAsync(submitted.Url("status_url"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        await Assert.ThrowsAnyAsync<JsonException>(() => Json.ReadAsync(response));
    }

    [Fact]
    public async Task AStalledDownloadSendsPartThenNothing()
    {
        var file = await CompletedFileAsync();
        await _engine.AddFaultAsync(new { target = "file", kind = "stall", bytes = 1000 });
        using var response = await new HttpClient().GetAsync(file.Url("url"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(file.GetProperty("file_size").GetInt64(), response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = await ReadUntilQuietAsync(body);
        Assert.Equal(1000, received.Count);
    }

    [Fact]
    public async Task ATruncatedDownloadAnnouncesMoreThanItSendsAndCloses()
    {
        var file = await CompletedFileAsync();
        long size = file.GetProperty("file_size").GetInt64();
        await _engine.AddFaultAsync(new { target = "file", kind = "truncate", bytes = 5000 });
        using var response = await new HttpClient().GetAsync(file.Url("url"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(size, response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new MemoryStream();
        await Assert.ThrowsAnyAsync<IOException>(() => body.CopyToAsync(buffer));
        Assert.Equal(5000, buffer.Length);
    }

    [Fact]
    public async Task ATruncatedDownloadCanAnnounceAHugeLength()
    {
        var file = await CompletedFileAsync();
        await _engine.AddFaultAsync(new { target = "file", kind = "truncate", contentLength = 1_000_000_000_000L, bytes = 4096 });
        using var response = await new HttpClient().GetAsync(file.Url("url"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(1_000_000_000_000L, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData(null, "<html>not audio</html>")]
    [InlineData("UklGRiQAAABXQVZFZm10IA==", null)]
    public async Task AReplacedBodyIsServedInsteadOfTheWav(string? base64, string? text)
    {
        var file = await CompletedFileAsync();
        await _engine.AddFaultAsync(new { target = "file", kind = "replace-body", bodyBase64 = base64, bodyText = text });
        var bytes = await new HttpClient().GetByteArrayAsync(file.Url("url"));
        Assert.Equal(base64 is null ? System.Text.Encoding.UTF8.GetBytes(text!) : Convert.FromBase64String(base64), bytes);
    }

    [Fact]
    public async Task APatchedResultCarriesHostileFields()
    {
        var submitted = await _engine.SubmitAsync(Input);
        await _engine.WaitForCompletionAsync(submitted);
        await _engine.AddFaultAsync(new { target = "result", kind = "patch-result", audioFile = new { file_name = "../../CON.wav", url = "file:///etc/passwd", file_size = 1_000_000_000_000_000L } });
        var file = (await Json.ReadAsync(await _engine.Client.GetAsync(submitted.Url("response_url")))).GetProperty("audio_file");
        Assert.Equal("../../CON.wav", file.Str("file_name"));
        Assert.Equal("file:///etc/passwd", file.Str("url"));
        Assert.Equal(1_000_000_000_000_000L, file.GetProperty("file_size").GetInt64());
        Assert.Equal("audio/wav", file.Str("content_type"));
    }

    [Fact]
    public async Task AStreamCanEndEarlyWithoutCompleted()
    {
        // Its own engine holds the request IN_PROGRESS, so a normal stream would stay open.
        await using var engine = await TestEngine.StartAsync(_output, [.. TestEngine.HoldRequests, "--EnableFaultInjection", "true"]);
        var running = await engine.SubmitAsync(Input);
        await engine.WaitUntilRunningAsync(running);
        await engine.AddFaultAsync(new { target = "stream", requestId = running.Id(), kind = "truncate" });
        await using var stream = await SseReader.OpenAsync(engine.Client, running.Url("status_url") + "/stream");
        Assert.Equal("IN_PROGRESS", (await stream.NextEventAsync())!.Value.Str("status"));
        Assert.Null(await stream.NextEventAsync());
        await engine.CancelAsync(running);
    }

    [Fact]
    public async Task AStreamCanStallWithoutPingsOrCompleted()
    {
        var submitted = await _engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await _engine.AddFaultAsync(new { target = "stream", requestId = submitted.Id(), kind = "stall" });
        await using var stream = await SseReader.OpenAsync(_engine.Client, submitted.Url("status_url") + "/stream");
        Assert.NotNull(await stream.NextEventAsync());
        await _engine.WaitForCompletionAsync(submitted);
        using var quiet = new CancellationTokenSource(Quiet);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.NextEventAsync(quiet.Token));
        Assert.Single(stream.Lines, l => l.StartsWith("data:"));
    }

    private async Task<JsonElement> CompletedFileAsync()
    {
        var submitted = await _engine.SubmitAsync(Input);
        await _engine.WaitForCompletionAsync(submitted);
        return (await Json.ReadAsync(await _engine.Client.GetAsync(submitted.Url("response_url")))).GetProperty("audio_file");
    }

    /// <summary>Reads until nothing arrives for <see cref="Quiet"/>; a stalled download stops there, a normal one would go on.</summary>
    private static async Task<List<byte>> ReadUntilQuietAsync(Stream body)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        while (true)
        {
            using var quiet = new CancellationTokenSource(Quiet);
            int read;
            try { read = await body.ReadAsync(buffer, quiet.Token); }
            catch (OperationCanceledException) { return received; }
            if (read == 0) throw new Xunit.Sdk.XunitException("the stalled download ended instead of hanging");
            received.AddRange(buffer.Take(read));
        }
    }
}
