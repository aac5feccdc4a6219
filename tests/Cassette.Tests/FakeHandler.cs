using System.Net;
using System.Text;

namespace Cassette.Tests;

/// <summary>An HTTP handler that answers from a script and remembers every request it saw (headers and body copied).</summary>
internal sealed class FakeHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, int, HttpResponseMessage> _answer;

    public FakeHandler(Func<HttpRequestMessage, int, HttpResponseMessage> answer) => _answer = answer;

    public List<SeenRequest> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        lock (Requests) Requests.Add(new SeenRequest(request.Method, request.RequestUri!, headers, body));
        int attempt;
        lock (Requests) attempt = Requests.Count;
        return _answer(request, attempt);
    }

    public static HttpResponseMessage Json(HttpStatusCode code, string json) =>
        new(code) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static string Status(string status, string id = "req-1", string extra = "") =>
        $"{{\"status\":\"{status}\",\"request_id\":\"{id}\",\"queue_position\":null,\"logs\":[],\"response_url\":\"http://queue.test/CassetteAI/music-generator/requests/{id}\"{extra}}}";
}

internal sealed record SeenRequest(HttpMethod Method, Uri Url, IReadOnlyDictionary<string, string> Headers, string? Body);
