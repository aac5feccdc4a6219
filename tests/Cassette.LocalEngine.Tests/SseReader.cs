using System.Text.Json;

namespace Cassette.LocalEngine.Tests;

/// <summary>Reads a server-sent-events response line by line, as a client of fal's status stream would.</summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationTokenSource _patience;

    private SseReader(HttpResponseMessage response, Stream body, TimeSpan patience)
    {
        _response = response;
        _reader = new StreamReader(body);
        _patience = new CancellationTokenSource(patience);
    }

    public List<string> Lines { get; } = new();
    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;
    public string? RequestId => _response.Headers.TryGetValues("x-fal-request-id", out var values) ? values.Single() : null;

    /// <param name="patience">How long the whole reading may take before it gives up (a hang guard; default <see cref="TestEngine.Patience"/>).</param>
    public static async Task<SseReader> OpenAsync(HttpClient client, string url, TimeSpan? patience = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseReader(response, await response.Content.ReadAsStreamAsync(), patience ?? TestEngine.Patience);
    }

    /// <summary>The next event's JSON, or null when the server closed the stream.</summary>
    public async Task<JsonElement?> NextEventAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _patience.Token);
        while (await _reader.ReadLineAsync(linked.Token) is { } line)
        {
            Lines.Add(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var document = JsonDocument.Parse(line["data: ".Length..]);
                return document.RootElement.Clone();
            }
        }
        return null;
    }

    /// <summary>Reads lines until <paramref name="wanted"/> comments equal to <paramref name="comment"/> arrived; fails on an event first.</summary>
    public async Task<int> CountCommentsAsync(string comment, int wanted)
    {
        int seen = 0;
        while (seen < wanted && await _reader.ReadLineAsync(_patience.Token) is { } line)
        {
            Lines.Add(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                throw new Xunit.Sdk.XunitException("An event came where only comments were expected: " + line);
            if (line == comment) seen++;
        }
        return seen;
    }

    public async Task<JsonElement> NextEventAsync(Func<JsonElement, bool> until)
    {
        while (await NextEventAsync() is { } next)
            if (until(next)) return next;
        throw new Xunit.Sdk.XunitException("The stream closed before the expected event.");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _patience.Dispose();
        return ValueTask.CompletedTask;
    }
}
