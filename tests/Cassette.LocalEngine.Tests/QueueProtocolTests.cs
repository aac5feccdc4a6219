using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cassette.LocalEngine.Tests;

public class QueueProtocolTests : IClassFixture<EngineFixture>
{
    private readonly EngineFixture _engine;

    public QueueProtocolTests(EngineFixture engine) => _engine = engine;

    [Fact]
    public async Task SubmitPollAndFetchTheResultAndItsWav()
    {
        using var submit = await _engine.Client.PostAsJsonAsync("CassetteAI/music-generator", new { prompt = "lo-fi piano", duration = 10 });
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        using var queued = JsonDocument.Parse(await submit.Content.ReadAsStringAsync());
        Assert.Equal("IN_QUEUE", queued.RootElement.GetProperty("status").GetString());
        string statusUrl = queued.RootElement.GetProperty("status_url").GetString()!;
        string responseUrl = queued.RootElement.GetProperty("response_url").GetString()!;

        JsonDocument status;
        do
        {
            await Task.Delay(20);
            using var poll = await _engine.Client.GetAsync(statusUrl + "?logs=1");
            status = JsonDocument.Parse(await poll.Content.ReadAsStringAsync());
            Assert.Equal(status.RootElement.GetProperty("status").GetString() == "COMPLETED" ? HttpStatusCode.OK : HttpStatusCode.Accepted, poll.StatusCode);
        } while (status.RootElement.GetProperty("status").GetString() != "COMPLETED");

        using var result = await _engine.Client.GetAsync(responseUrl);
        Assert.Equal("application/json", result.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await result.Content.ReadAsStringAsync());
        var file = body.RootElement.GetProperty("audio_file");
        Assert.Equal("audio/wav", file.GetProperty("content_type").GetString());

        using var download = new HttpClient();
        var wav = await download.GetByteArrayAsync(file.GetProperty("url").GetString());
        Assert.Equal(file.GetProperty("file_size").GetInt64(), wav.Length);
        Assert.Equal(44 + 10 * 44100 * 4, wav.Length);
    }

    [Fact]
    public async Task RequestsWithoutAKeyAreRefused()
    {
        using var anonymous = new HttpClient { BaseAddress = _engine.BaseUrl };
        using var response = await anonymous.PostAsJsonAsync("CassetteAI/music-generator", new { prompt = "x", duration = 10 });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ADurationAbove180IsAPydanticValidationError()
    {
        using var response = await _engine.Client.PostAsJsonAsync("CassetteAI/music-generator", new { prompt = "x", duration = 181 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problem = body.RootElement.GetProperty("detail")[0];
        Assert.Equal("less_than_equal", problem.GetProperty("type").GetString());
        Assert.Equal("duration", problem.GetProperty("loc")[1].GetString());
        Assert.Equal(180, problem.GetProperty("ctx").GetProperty("le").GetInt32());
    }
}
