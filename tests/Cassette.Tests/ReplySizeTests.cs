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
    private static readonly FalModelId Model = FalModelId.Parse(FalModelId.MusicGenerator);

    private static FalQueueClient Client(HttpMessageHandler handler) =>
        TestQueueClient.Create(handler, retries: 2);

    /// <summary>A body of <paramref name="size"/> bytes of JSON-looking text, sent with its length or chunked (no length).</summary>
    private static HttpResponseMessage Answer(HttpStatusCode code, int size, bool declareLength) => Answer(code, RepeatingStream.Brackets(size), declareLength);

    private static HttpResponseMessage Answer(HttpStatusCode code, RepeatingStream body, bool declareLength)
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
        var served = RepeatingStream.Brackets(FalBody.MaxBytes * 4L);
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

    private static HttpResponseMessage EventStream(Stream body)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = new("text/event-stream");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    [Theory]
    [InlineData("one endless line", "data: ", "x")]
    [InlineData("endless data lines of one event", "", "data: x\n")]
    [InlineData("endless data lines with CRLF", "", "data: x\r\n")]
    public async Task AStatusStreamEventLargerThanTheCapIsInvalidResponse(string shape, string start, string unit)
    {
        // SseParser keeps an event's line, and its data lines, in memory until the blank line that ends it.
        var served = new RepeatingStream(start, unit, FalBody.MaxBytes * 4L, "\n\n");
        var handler = new FakeHandler((_, _) => EventStream(served));
        var error = await Assert.ThrowsAsync<CassetteException>(() => Client(handler)
            .StreamStatusAsync(Model, "req-1", null, _ => { }, null, CancellationToken.None));
        Assert.Equal("InvalidResponse", ErrorRecords.From(error, null).FullyQualifiedErrorId);
        Assert.Equal("req-1", error.RequestId);
        Assert.Contains("4 MB", error.Message);
        Assert.True(served.Served <= FalBody.MaxBytes + 64 * 1024, $"{shape}: read {served.Served} bytes");
    }

    [Fact]
    public async Task AStatusStreamLongerThanTheCapIsReadWhenEachEventIsSmall()
    {
        // 6 MB of keep-alive comments and IN_PROGRESS events, each ended by its blank line, then COMPLETED.
        string progress = "data: " + FakeHandler.Status("IN_PROGRESS") + "\r\n\r\n: ping\r\r";
        var served = new RepeatingStream("", progress, FalBody.MaxBytes * 3L / 2, "data: " + FakeHandler.Status("COMPLETED") + "\n\n");
        var handler = new FakeHandler((_, _) => EventStream(served));
        int seen = 0;
        var completed = await Client(handler).StreamStatusAsync(Model, "req-1", null, _ => seen++, null, CancellationToken.None);
        Assert.True(completed!.IsCompleted);
        Assert.True(seen > 10_000, $"{seen} events");
        Assert.True(served.Served > FalBody.MaxBytes);
    }

    [Fact]
    public async Task WaitingFallsBackToPollingWhenAStreamEventIsTooLarge()
    {
        var handler = new FakeHandler((request, _) => request.RequestUri!.AbsolutePath.EndsWith("/stream")
            ? EventStream(new RepeatingStream("data: ", "x", FalBody.MaxBytes * 2L, "\n\n"))
            : FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("COMPLETED")));
        var sink = new RecordingSink();
        var waiter = new Cassette.Lifecycle.RequestWaiter(Client(handler), sink, 1, "test");
        var completed = await waiter.WaitAsync(Model, "req-1", null, CancellationToken.None);
        Assert.True(completed.IsCompleted);
        Assert.Contains(sink.Verbose, m => m.Contains("larger than the 4 MB") && m.Contains("polling instead"));
    }

    /// <summary>
    /// <c>start</c>, then <c>unit</c> repeated whole until at least <c>size</c> bytes of it, then <c>end</c>, without holding
    /// them in memory; its Length is exact, and it counts what was read.
    /// </summary>
    private sealed class RepeatingStream(string start, string unit, long size, string end) : Stream
    {
        private readonly byte[] _start = Encoding.UTF8.GetBytes(start), _unit = Encoding.UTF8.GetBytes(unit), _end = Encoding.UTF8.GetBytes(end);
        private long _unitBytes;
        private int _startDone, _endDone;

        /// <summary><c>size</c> bytes of '[', JSON-looking text that never ends.</summary>
        public static RepeatingStream Brackets(long size) => new("", "[", size, "");

        public long Served { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = 0;
            while (n < count)
            {
                if (_startDone < _start.Length) buffer[offset + n++] = _start[_startDone++];
                else if (_unitBytes < size || _unitBytes % _unit.Length != 0) buffer[offset + n++] = _unit[_unitBytes++ % _unit.Length];
                else if (_endDone < _end.Length) buffer[offset + n++] = _end[_endDone++];
                else break;
            }
            Served += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _start.Length + (size + _unit.Length - 1) / _unit.Length * _unit.Length + _end.Length;
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
