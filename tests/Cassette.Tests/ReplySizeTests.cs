using System.Net;
using System.Text;
using Cassette.Errors;
using Cassette.Http;
using Cassette.Protocol;

namespace Cassette.Tests;

/// <summary>
/// A queue answer is read only up to FalBody.MaxBytes: a hostile or broken server cannot make the module buffer up to
/// HttpClient's 2 GB. Too large an answer is InvalidResponse naming its size, with or without a Content-Length.
/// </summary>
public class ReplySizeTests
{
    private static readonly Uri Queue = new("http://queue.test/");
    private static readonly FalModelId Model = FalModelId.Parse(FalModelId.MusicGenerator);

    private static FalQueueClient Client(HttpMessageHandler handler) =>
        new(new HttpClient(handler), Queue, FalApiKey.Resolve("id:secret"), new RetryPolicy(2, delay: (_, _) => Task.CompletedTask));

    /// <summary>A body of <paramref name="size"/> bytes of JSON-looking text, sent with its length or chunked (no length).</summary>
    private static HttpResponseMessage Answer(HttpStatusCode code, int size, bool declareLength) => Answer(code, new CountingStream(size), declareLength);

    private static HttpResponseMessage Answer(HttpStatusCode code, CountingStream body, bool declareLength)
    {
        long size = body.Length;
        var content = new StreamContent(body);
        content.Headers.ContentType = new("application/json");
        if (declareLength) content.Headers.ContentLength = size;
        return new HttpResponseMessage(code) { Content = content };
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStatusAnswerLargerThanTheCapIsInvalidResponseNamingItsSize(bool declareLength)
    {
        var served = new CountingStream(FalBody.MaxBytes * 4L);
        var handler = new FakeHandler((_, _) => Answer(HttpStatusCode.OK, served, declareLength));
        var error = await Assert.ThrowsAsync<CassetteException>(() => Client(handler).GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None));
        Assert.Equal("InvalidResponse", ErrorRecords.From(error, null).FullyQualifiedErrorId);
        Assert.Equal("req-1", error.RequestId);
        Assert.Contains("4 MB", error.Message);
        Assert.Contains(declareLength ? $"{FalBody.MaxBytes * 4} bytes" : $"more than {FalBody.MaxBytes} bytes", error.Message);
        // Not retried (a hostile answer is reported), and read no further than just past the cap.
        Assert.Single(handler.Requests);
        Assert.True(served.Served <= FalBody.MaxBytes + 64 * 1024, $"read {served.Served} bytes");
    }

    [Fact]
    public async Task AnErrorBodyLargerThanTheCapIsInvalidResponse()
    {
        var handler = new FakeHandler((_, _) => Answer(HttpStatusCode.BadRequest, FalBody.MaxBytes + 1, declareLength: false));
        var error = await Assert.ThrowsAsync<CassetteException>(() => Client(handler).CancelAsync(Model, "req-1", null, null, CancellationToken.None));
        Assert.Equal("InvalidResponse", ErrorRecords.From(error, null).FullyQualifiedErrorId);
        Assert.Contains("answered 400", error.Message);
    }

    [Fact]
    public async Task ASubmissionAnswerLargerThanTheCapIsInvalidResponse()
    {
        var handler = new FakeHandler((_, _) => Answer(HttpStatusCode.OK, FalBody.MaxBytes + 1, declareLength: true));
        var error = await Assert.ThrowsAsync<CassetteException>(() => Client(handler)
            .SubmitAsync(Model, new Dictionary<string, object?> { ["prompt"] = "x", ["duration"] = 10 }, SubmitOptions.Default, null, CancellationToken.None));
        Assert.Equal("InvalidResponse", ErrorRecords.From(error, null).FullyQualifiedErrorId);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task AnAnswerJustUnderTheCapIsRead()
    {
        // A status whose log fills almost the whole cap: large, but within what the module reads.
        string line = new('x', 1000);
        var logs = string.Join(",", Enumerable.Repeat($"{{\"message\":\"{line}\",\"level\":\"INFO\",\"source\":\"stdout\",\"timestamp\":\"2026-01-01T00:00:00Z\"}}",
            (FalBody.MaxBytes - 4096) / 1100));
        string json = $"{{\"status\":\"IN_PROGRESS\",\"request_id\":\"req-1\",\"logs\":[{logs}]}}";
        Assert.True(Encoding.UTF8.GetByteCount(json) <= FalBody.MaxBytes);
        var handler = new FakeHandler((_, _) => FakeHandler.Json(HttpStatusCode.OK, json));
        var status = await Client(handler).GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None);
        Assert.Equal("IN_PROGRESS", status.Status);
        Assert.Equal((FalBody.MaxBytes - 4096) / 1100, status.Logs.Count);
    }

    /// <summary>Serves <c>size</c> bytes of '[' ... without holding them in memory, and counts what was read.</summary>
    private sealed class CountingStream(long size) : Stream
    {
        public long Served { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, size - Served);
            buffer.AsSpan(offset, n).Fill((byte)'[');
            Served += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => size;
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
