using System.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Cassette.Download;
using Cassette.Errors;
using Cassette.Http;
using Cassette.Journal;
using Cassette.Lifecycle;
using Cassette.Protocol;

namespace Cassette.Tests;

/// <summary>
/// The failures a slow, loaded machine turns up (the hostile-server fuzz test saw one UnexpectedError only under load):
/// a deadline or a stop that lands while a call is failing for another reason. The transport then reports its own
/// failure (a reset, a disposed stream, a stream that went silent) after the caller's token was cancelled; the
/// cancellation must win, and end as Timeout (or a stop), never as an exception nobody mapped. Each test makes that
/// moment happen on purpose: a fake body or handler waits for the token and fails only once it is cancelled.
/// </summary>
public class CancellationRaceTests
{
    private static readonly FalModelId Model = FalModelId.Parse(FalModelId.MusicGenerator);
    /// <summary>Far above any wait here: only the deadline under test may end a call.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static FalQueueClient Client(HttpMessageHandler handler, TimeSpan? readTimeout = null) =>
        TestQueueClient.Create(handler, retries: 1, readTimeout ?? Generous);

    private static string Id(Exception failure) => ErrorRecords.From(failure, null).FullyQualifiedErrorId;

    /// <summary>The queue's side of one request: submit, the cancel (found already completed) and whatever the test makes of the wait.</summary>
    private static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Queued(
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> wait) => (request, token) =>
    {
        if (request.Method == HttpMethod.Post) return Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("IN_QUEUE")));
        if (request.Method == HttpMethod.Put) return Task.FromResult(FakeHandler.Json(HttpStatusCode.BadRequest, "{\"detail\":\"ALREADY_COMPLETED\"}"));
        return wait(request, token);
    };

    /// <summary>
    /// A connection that breaks as the deadline passes: the reset, not the cancellation, is what the transport reports. HttpClient
    /// turns its own HttpRequestException into a cancellation when the token is cancelled by then, but not a SocketException
    /// (which a reset on accept lets escape, issue 11), nor an HttpRequestException whose token was cancelled just after.
    /// </summary>
    private static async Task<HttpResponseMessage> ResetOnCancel(CancellationToken token)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
        }
        throw new SocketException((int)SocketError.ConnectionReset);
    }

    private static HttpResponseMessage EventStream(Stream body)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private static RequestLifecycle Lifecycle(HttpMessageHandler handler, bool stream, TimeSpan? readTimeout = null) =>
        new(Client(handler, readTimeout), RequestJournal.None) { UseStatusStream = stream, PollInterval = TimeSpan.FromMilliseconds(20) };

    private static TrackInput Input() => new(Model, "race", 10, SubmitOptions.Default);

    [Fact]
    public async Task AStatusReadThatBreaksAsTheDeadlinePassesEndsAsTimeout()
    {
        var handler = new AsyncHandler(Queued((_, token) => ResetOnCancel(token)));
        var failure = await Record.ExceptionAsync(() =>
            Lifecycle(handler, stream: false).GenerateAsync(Input(), TimeSpan.FromMilliseconds(300), new RecordingSink(), null, null, null, CancellationToken.None));
        Assert.Equal("Timeout", Id(failure!));
    }

    [Fact]
    public async Task AStatusReadThatBreaksAsTheCommandIsStoppedEndsAsAStop()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var handler = new AsyncHandler(Queued((_, token) => ResetOnCancel(token)));
        var failure = await Record.ExceptionAsync(() =>
            Lifecycle(handler, stream: false).GenerateAsync(Input(), null, new RecordingSink(), null, null, null, stop.Token));
        // A stop reaches the cmdlet as an OperationCanceledException, which it turns into PipelineStoppedException.
        Assert.IsAssignableFrom<OperationCanceledException>(failure);
    }

    [Fact]
    public async Task AStatusStreamThatBreaksAsTheDeadlinePassesEndsAsTimeout()
    {
        // The stream's body fails with the IOException a disposed connection gives, once its read is cancelled.
        var handler = new AsyncHandler(Queued((_, _) => Task.FromResult(EventStream(new BreaksWhenCancelled(() => { })))));
        var failure = await Record.ExceptionAsync(() =>
            Lifecycle(handler, stream: true).GenerateAsync(Input(), TimeSpan.FromMilliseconds(300), new RecordingSink(), null, null, null, CancellationToken.None));
        Assert.Equal("Timeout", Id(failure!));
    }

    [Fact]
    public async Task AStatusStreamThatWentSilentJustBeforeTheCommandWasStoppedEndsAsAStop()
    {
        // The idle deadline (-ReadTimeoutSec) fires first; the stop lands before its failure reaches the waiter.
        using var stop = new CancellationTokenSource();
        var handler = new AsyncHandler(Queued((_, _) => Task.FromResult(EventStream(new BreaksWhenCancelled(stop.Cancel)))));
        var failure = await Record.ExceptionAsync(() =>
            Lifecycle(handler, stream: true, readTimeout: TimeSpan.FromMilliseconds(200)).GenerateAsync(Input(), null, new RecordingSink(), null, null, null, stop.Token));
        Assert.IsAssignableFrom<OperationCanceledException>(failure);
    }

    [Fact]
    public async Task AStreamThatWentSilentJustBeforeTheCallersDeadlineReportsTheDeadline()
    {
        using var deadline = new CancellationTokenSource();
        var handler = new AsyncHandler((_, _) => Task.FromResult(EventStream(new BreaksWhenCancelled(deadline.Cancel))));
        var failure = await Record.ExceptionAsync(() => Client(handler, TimeSpan.FromMilliseconds(200))
            .StreamStatusAsync(Model, "req-1", null, _ => { }, null, deadline.Token));
        Assert.IsAssignableFrom<OperationCanceledException>(failure);
    }

    [Fact]
    public async Task AStreamThatWentSilentStillFallsBackToPollingWhenNobodyCancelled()
    {
        // The other side of the race: without a deadline or a stop, a silent stream is a stream failure, and polling takes over.
        int polls = 0;
        var handler = new AsyncHandler(Queued((request, _) =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/stream")) return Task.FromResult(EventStream(new BreaksWhenCancelled(() => { })));
            if (request.RequestUri.AbsolutePath.EndsWith("/status"))
            {
                Interlocked.Increment(ref polls);
                return Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, FakeHandler.Status("COMPLETED")));
            }
            return Task.FromResult(FakeHandler.Json(HttpStatusCode.OK,
                "{\"audio_file\":{\"url\":\"http://files.test/a.wav\",\"content_type\":\"audio/wav\",\"file_name\":\"a.wav\",\"file_size\":100}}"));
        }));
        var track = await Lifecycle(handler, stream: true, readTimeout: TimeSpan.FromMilliseconds(200))
            .GenerateAsync(Input(), null, new RecordingSink(), null, null, null, CancellationToken.None);
        Assert.Equal("http://files.test/a.wav", track.AudioUrl.AbsoluteUri);
        Assert.Equal(1, polls);
    }

    [Fact]
    public async Task ACancelThatBreaksAsItsDeadlinePassesIsAnOperationCancelled()
    {
        // Stop-CassetteJob turns this into CancelTimedOut; a raw HttpRequestException would be UnexpectedError.
        using var budget = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var handler = new AsyncHandler((_, token) => ResetOnCancel(token));
        var failure = await Record.ExceptionAsync(() => Client(handler).CancelAsync(Model, "req-1", null, null, budget.Token));
        Assert.IsAssignableFrom<OperationCanceledException>(failure);
    }

    [Fact]
    public async Task ACancelWhoseAnswerEndsJustAsItsBudgetRunsOutIsAnOperationCancelled()
    {
        // The fuzz test's UnexpectedError (seed 417126394, Stop-CassetteJob -MaxRetryCount 0): the whole answer was read,
        // then the budget disposed of the response before it could be kept, and setting its buffered body failed.
        using var budget = new CancellationTokenSource();
        var handler = new AsyncHandler((_, _) =>
        {
            var content = new StreamContent(new CancelsAtItsEnd(Encoding.UTF8.GetBytes("{\"detail\":\"Internal Server Error\"}"), budget.Cancel));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = content });
        });
        var failure = await Record.ExceptionAsync(() => Client(handler).CancelAsync(Model, "req-1", null, null, budget.Token));
        Assert.IsAssignableFrom<OperationCanceledException>(failure);
    }

    [Fact]
    public async Task ADownloadThatBreaksAsItsDeadlinePassesIsAnOperationCancelled()
    {
        // Save-CassetteAudio turns this into Timeout; a raw HttpRequestException would be UnexpectedError.
        string folder = Directory.CreateTempSubdirectory("cassette-race-").FullName;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var handler = new AsyncHandler((_, token) => ResetOnCancel(token));
            var downloader = new AudioDownloader(new HttpClient(handler), new RetryPolicy(1, delay: (_, _) => Task.CompletedTask), Generous);
            var failure = await Record.ExceptionAsync(() =>
                downloader.DownloadAsync(new Uri("http://files.test/a.wav"), Path.Combine(folder, "a.wav"), false, null, null, null, deadline.Token));
            Assert.IsAssignableFrom<OperationCanceledException>(failure);
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A body that sends nothing until its read is cancelled (the idle deadline, or the caller's token through it), then
    /// runs <paramref name="onCancelled"/> (a deadline that lands in the same moment) and fails as a disposed connection does.
    /// </summary>
    private sealed class BreaksWhenCancelled(Action onCancelled) : AsyncReadStream
    {
        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            onCancelled();
            throw new IOException("Unable to read data from the transport connection: Operation canceled.");
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(ReadAsync(new byte[buffer.Length], 0, buffer.Length, cancellationToken));
    }

    /// <summary>A body that arrives whole, and whose end (the read that returns 0) is the moment the caller's token is cancelled.</summary>
    private sealed class CancelsAtItsEnd(byte[] body, Action atTheEnd) : AsyncReadStream
    {
        private int _position;

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Take(buffer.AsSpan(offset, count)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Take(buffer.Span));

        private int Take(Span<byte> buffer)
        {
            int read = Math.Min(buffer.Length, body.Length - _position);
            body.AsSpan(_position, read).CopyTo(buffer);
            _position += read;
            if (read == 0) atTheEnd();
            return read;
        }
    }

    private sealed class AsyncHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request, cancellationToken);
    }
}
