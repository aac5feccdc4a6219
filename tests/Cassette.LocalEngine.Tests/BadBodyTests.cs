using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// Bad bodies, routes and methods get fal-shaped JSON answers, never an empty 500: fal's runners are FastAPI apps,
/// so their answers are FastAPI's (400 for bytes that are not UTF-8, last value wins for a repeated key, 404/405 with a
/// detail), pydantic's for a prompt over the limit, and 413 with a detail for a body over --MaxBodyBytes.
/// </summary>
public class BadBodyTests : IClassFixture<EngineFixture>, IDisposable
{
    private readonly TestEngine _engine;
    private readonly ITestOutputHelper _output;

    public BadBodyTests(EngineFixture fixture, ITestOutputHelper output)
    {
        _engine = fixture.Engine;
        _output = output;
    }

    /// <summary>The shared engine's log tail goes with each test's output, shown when it fails.</summary>
    public void Dispose() => _engine.WriteLogTailTo(_output);

    private Task<HttpResponseMessage> PostBytesAsync(byte[] body) =>
        _engine.Client.PostAsync(TestEngine.SoundEffects, new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });

    [Fact]
    public async Task BytesThatAreNotUtf8AreFastApisParseError()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"prompt\":\""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\",\"duration\":5}")];
        using var response = await PostBytesAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("There was an error parsing the body", (await Json.ReadAsync(response)).Str("detail"));
    }

    [Fact]
    public async Task ARepeatedKeyKeepsItsLastValueAsPythonsJsonDoes()
    {
        using (var accepted = await PostBytesAsync(Encoding.UTF8.GetBytes("""{"prompt":"x","duration":"abc","duration":5}""")))
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        using var refused = await PostBytesAsync(Encoding.UTF8.GetBytes("""{"prompt":"x","duration":5,"duration":"abc"}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("int_parsing", (await Json.ReadAsync(refused)).GetProperty("detail")[0].Str("type"));
    }

    [Fact]
    public async Task APromptOverTenThousandCharactersIsPydanticsStringTooLong()
    {
        using (var atLimit = await _engine.PostSubmitAsync(new { prompt = new string('a', 10_000), duration = 1 }, TestEngine.SoundEffects))
            Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        using var over = await _engine.PostSubmitAsync(new { prompt = new string('a', 10_001), duration = 1 }, TestEngine.SoundEffects);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, over.StatusCode);
        var problem = (await Json.ReadAsync(over)).GetProperty("detail")[0];
        Assert.Equal("string_too_long", problem.Str("type"));
        Assert.Equal("prompt", problem.GetProperty("loc")[1].GetString());
        Assert.Equal(10_000, problem.GetProperty("ctx").GetProperty("max_length").GetInt32());
        // Characters are code points, as in Python: 10,000 emoji are 20,000 UTF-16 units and still fit.
        using var emoji = await _engine.PostSubmitAsync(new { prompt = string.Concat(Enumerable.Repeat("🎵", 10_000)), duration = 1 }, TestEngine.SoundEffects);
        Assert.Equal(HttpStatusCode.OK, emoji.StatusCode);
    }

    [Fact]
    public async Task ABodyOverOneMegabyteIs413WithADetail()
    {
        // The 29 MB prompt that used to be accepted, at about 110 MB of engine memory each.
        var prompt = new string('a', 29 * 1024 * 1024);
        using var response = await _engine.PostSubmitAsync(new { prompt, duration = 10 });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1048576", (await Json.ReadAsync(response)).Str("detail"));
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimitIs413Too()
    {
        var content = new StreamContent(new LongJson(3 * 1024 * 1024)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using var request = new HttpRequestMessage(HttpMethod.Post, TestEngine.Music) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _engine.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await Json.ReadAsync(response)).Str("detail")));
    }

    [Theory]
    [InlineData("GET", "nothing-here")]
    [InlineData("POST", "nothing-here")]
    [InlineData("GET", "")]
    public async Task AnUnknownRouteIs404Json(string method, string path)
    {
        using var response = await _engine.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not Found", (await Json.ReadAsync(response)).Str("detail"));
    }

    // Every path of two segments or more takes POST (a submission, perhaps to an unknown model), so another method
    // there is "not allowed" rather than "not found".
    [Theory]
    [InlineData("GET", "CassetteAI/music-generator")]
    [InlineData("DELETE", "CassetteAI/music-generator/requests/x/status")]
    [InlineData("GET", "CassetteAI/music-generator/requests/x/status/extra/parts")]
    public async Task AWrongMethodIs405Json(string method, string path)
    {
        using var response = await _engine.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("Method Not Allowed", (await Json.ReadAsync(response)).Str("detail"));
    }

    /// <summary>The start of a JSON body with a prompt of <paramref name="length"/> letters, sent without a Content-Length.</summary>
    private sealed class LongJson(long length) : Stream
    {
        private bool _started;
        private long _left = length;
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_started)
            {
                _started = true;
                byte[] head = Encoding.UTF8.GetBytes("{\"prompt\":\"");
                head.CopyTo(buffer, offset);
                return head.Length;
            }
            int n = (int)Math.Min(count, _left);
            Array.Fill(buffer, (byte)'a', offset, n);
            _left -= n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
