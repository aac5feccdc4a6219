using System.Net;
using System.Net.Sockets;
using System.Text;
using Cassette.Errors;
using Cassette.Http;
using Cassette.Journal;
using Cassette.Lifecycle;
using Cassette.Protocol;

namespace Cassette.Tests;

/// <summary>
/// Where a deadline or a stop during a submission draws the line. Before the body left (no connection to send it on),
/// nothing reached fal: Timeout, or a plain stop. Once the body may have reached fal, its request may exist and be
/// billed, with an id that only the lost answer carried: SubmissionOutcomeUnknown, or a stop with a warning saying so.
/// </summary>
public class SubmissionDeadlineTests
{
    private static readonly FalModelId Model = FalModelId.Parse(FalModelId.MusicGenerator);
    /// <summary>Far above any wait here: only the deadline under test may end a call.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static RequestLifecycle Lifecycle(HttpClient http, Uri queue) =>
        new(new FalQueueClient(http, queue, FalApiKey.Resolve("id:secret"), new RetryPolicy(1, delay: (_, _) => Task.CompletedTask)) { ReadTimeout = Generous },
            RequestJournal.None) { UseStatusStream = false };

    private static TrackInput Input() => new(Model, "deadline", 10, SubmitOptions.Default);

    private static string Id(Exception failure) => ErrorRecords.From(failure, null).FullyQualifiedErrorId;

    [Fact]
    public async Task ADeadlineAfterTheBodyReachedTheQueueIsSubmissionOutcomeUnknown()
    {
        await using var server = new SilentServer();
        using var http = new HttpClient();
        var sink = new RecordingSink();
        // Long enough for a loaded machine to connect and send a few hundred bytes over loopback; the server never answers.
        var error = await Assert.ThrowsAsync<CassetteException>(() =>
            Lifecycle(http, server.Url).GenerateAsync(Input(), TimeSpan.FromSeconds(5), sink, null, null, null, CancellationToken.None));
        Assert.True(server.BodyReceived.Task.IsCompleted, "the server should have read the whole submission");
        Assert.Equal("SubmissionOutcomeUnknown", Id(error));
        Assert.Null(error.RequestId);
        Assert.Contains("-TimeoutSec", error.Message);
        Assert.Contains("billed", error.Message);
        Assert.Contains("request id is unknown", error.Message);
        Assert.Contains("fal dashboard", error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public async Task ADeadlineBeforeTheBodyLeftStaysTimeout()
    {
        // A handler that never takes the body: what a connection that is never accepted looks like from here.
        var handler = new NeverSends();
        using var http = new HttpClient(handler);
        var error = await Assert.ThrowsAsync<CassetteException>(() =>
            Lifecycle(http, new Uri("http://queue.test/")).GenerateAsync(Input(), TimeSpan.FromMilliseconds(300), new RecordingSink(), null, null, null, CancellationToken.None));
        Assert.Equal("Timeout", Id(error));
        Assert.Contains("no request was made", error.Message);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task AStopAfterTheBodyReachedTheQueueWarnsThatARequestMayHaveBeenMade()
    {
        await using var server = new SilentServer();
        using var http = new HttpClient();
        using var stop = new CancellationTokenSource();
        var sink = new RecordingSink();
        var generating = Lifecycle(http, server.Url).GenerateAsync(Input(), null, sink, null, null, null, stop.Token);
        await server.BodyReceived.Task.WaitAsync(Generous);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generating);
        var warning = Assert.Single(sink.Warnings);
        Assert.Contains("the command was stopped", warning);
        Assert.Contains("billed", warning);
        Assert.Contains("fal dashboard", warning);
    }

    [Fact]
    public async Task AStopOfANoWaitSubmissionAfterTheBodyLeftWarnsToo()
    {
        await using var server = new SilentServer();
        using var http = new HttpClient();
        using var stop = new CancellationTokenSource();
        var sink = new RecordingSink();
        var submitting = Lifecycle(http, server.Url).SubmitAsync(Input(), sink, stop.Token);
        await server.BodyReceived.Task.WaitAsync(Generous);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submitting);
        Assert.Contains("billed", Assert.Single(sink.Warnings));
    }

    [Fact]
    public async Task AStopBeforeTheBodyLeftIsAPlainStop()
    {
        var handler = new NeverSends();
        using var http = new HttpClient(handler);
        using var stop = new CancellationTokenSource();
        var sink = new RecordingSink();
        var generating = Lifecycle(http, new Uri("http://queue.test/")).GenerateAsync(Input(), null, sink, null, null, null, stop.Token);
        await handler.Entered.Task.WaitAsync(Generous);
        stop.Cancel();
        var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generating);
        Assert.IsNotType<SubmissionInterruptedException>(stopped);
        Assert.Empty(sink.Warnings);
    }

    /// <summary>Takes the request but never reads its body, and never answers.</summary>
    private sealed class NeverSends : HttpMessageHandler
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>A server on 127.0.0.1 that reads one whole request (headers and body) and then never answers.</summary>
    private sealed class SilentServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;

        public SilentServer()
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _serving = Task.Run(ServeAsync);
        }

        public Uri Url { get; }
        public TaskCompletionSource BodyReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task ServeAsync()
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var received = new List<byte>();
                var buffer = new byte[4096];
                while (true)
                {
                    int read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    received.AddRange(buffer.AsSpan(0, read).ToArray());
                    string text = Encoding.ASCII.GetString(received.ToArray());
                    int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (end < 0) continue;
                    var length = text[..end].Split("\r\n").Select(line => line.Split(':', 2))
                        .Where(parts => parts.Length == 2 && parts[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                        .Select(parts => int.Parse(parts[1].Trim())).Single();
                    if (received.Count >= end + 4 + length) break;
                }
                BodyReceived.TrySetResult();
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
                // The client gave up on the connection: that is the point.
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            await _serving;
            _stop.Dispose();
        }
    }
}
