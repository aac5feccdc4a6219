using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>fal answers invalid input with pydantic's 422 shape; the engine lists every problem the same way.</summary>
public class ValidationTests : IClassFixture<EngineFixture>, IDisposable
{
    private readonly TestEngine _engine;
    private readonly ITestOutputHelper _output;

    public ValidationTests(EngineFixture fixture, ITestOutputHelper output)
    {
        _engine = fixture.Engine;
        _output = output;
    }

    /// <summary>The shared engine's log tail goes with each test's output, shown when it fails.</summary>
    public void Dispose() => _engine.WriteLogTailTo(_output);

    [Theory]
    [InlineData("""{"duration":30}""", "prompt", "missing", "Field required")]
    [InlineData("""{"prompt":42,"duration":30}""", "prompt", "string_type", "Input should be a valid string")]
    [InlineData("""{"prompt":null,"duration":30}""", "prompt", "string_type", "Input should be a valid string")]
    [InlineData("""{"prompt":"x"}""", "duration", "missing", "Field required")]
    [InlineData("""{"prompt":"x","duration":30.5}""", "duration", "int_from_float", "Input should be a valid integer, got a number with a fractional part")]
    [InlineData("""{"prompt":"x","duration":"abc"}""", "duration", "int_parsing", "Input should be a valid integer, unable to parse string as an integer")]
    [InlineData("""{"prompt":"x","duration":null}""", "duration", "int_type", "Input should be a valid integer")]
    [InlineData("""{"prompt":"x","duration":true}""", "duration", "int_type", "Input should be a valid integer")]
    [InlineData("""{"prompt":"x","duration":[30]}""", "duration", "int_type", "Input should be a valid integer")]
    [InlineData("""{"prompt":"x","duration":9}""", "duration", "greater_than_equal", "Input should be greater than or equal to 10")]
    [InlineData("""{"prompt":"x","duration":181}""", "duration", "less_than_equal", "Input should be less than or equal to 180")]
    [InlineData("""{"prompt":"x","duration":1e30}""", "duration", "less_than_equal", "Input should be less than or equal to 180")]
    [InlineData("""{"prompt":"x","duration":30,"seed":"abc"}""", "seed", "int_parsing", "Input should be a valid integer, unable to parse string as an integer")]
    [InlineData("""{"prompt":"x","duration":30,"seed":1.5}""", "seed", "int_from_float", "Input should be a valid integer, got a number with a fractional part")]
    public async Task InvalidInputIsAPydanticValidationError(string body, string field, string type, string message)
    {
        var problem = Assert.Single(await SubmitRawAsync(body));
        Assert.Equal(["body", field], problem.GetProperty("loc").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(type, problem.Str("type"));
        Assert.Equal(message, problem.Str("msg"));
        Assert.True(problem.TryGetProperty("input", out _), "pydantic always reports the input");
    }

    [Fact]
    public async Task RangeErrorsCarryTheBoundInCtxAndTheInput()
    {
        var problem = Assert.Single(await SubmitRawAsync("""{"prompt":"x","duration":181}"""));
        Assert.Equal(180, problem.GetProperty("ctx").GetProperty("le").GetInt32());
        Assert.Equal(181, problem.GetProperty("input").GetInt32());
        var low = Assert.Single(await SubmitRawAsync("""{"prompt":"x","duration":2}"""));
        Assert.Equal(10, low.GetProperty("ctx").GetProperty("ge").GetInt32());
    }

    [Fact]
    public async Task AMissingFieldReportsTheWholeBodyAsItsInput()
    {
        var problem = Assert.Single(await SubmitRawAsync("""{"duration":30}"""));
        Assert.Equal(30, problem.GetProperty("input").GetProperty("duration").GetInt32());
    }

    [Fact]
    public async Task EveryProblemIsListedAtOnce()
    {
        var problems = await SubmitRawAsync("""{"prompt":1,"duration":"abc","seed":"x"}""");
        Assert.Equal(["prompt", "duration", "seed"], problems.Select(p => p.GetProperty("loc")[1].GetString()));
    }

    [Fact]
    public async Task TheSoundEffectsGeneratorAllowsOneToThirtySeconds()
    {
        var problem = Assert.Single(await SubmitRawAsync("""{"prompt":"x","duration":31}""", TestEngine.SoundEffects));
        Assert.Equal(30, problem.GetProperty("ctx").GetProperty("le").GetInt32());
        var zero = Assert.Single(await SubmitRawAsync("""{"prompt":"x","duration":0}""", TestEngine.SoundEffects));
        Assert.Equal(1, zero.GetProperty("ctx").GetProperty("ge").GetInt32());
    }

    [Theory]
    [InlineData("not json", "json_invalid")]
    [InlineData("[1,2]", "model_attributes_type")]
    [InlineData("", "missing")]
    public async Task ABodyThatIsNotAJsonObjectIsAValidationError(string body, string type)
    {
        var problem = Assert.Single(await SubmitRawAsync(body));
        Assert.Equal(type, problem.Str("type"));
        Assert.Equal("body", problem.GetProperty("loc")[0].GetString());
    }

    /// <summary>Pinned: pydantic's lax mode coerces "30" and 30.0 to 30, so the engine accepts them too.</summary>
    [Theory]
    [InlineData("""{"prompt":"x","duration":"30"}""")]
    [InlineData("""{"prompt":"x","duration":30.0}""")]
    [InlineData("""{"prompt":"x","duration":30,"seed":null}""")]
    [InlineData("""{"prompt":"","duration":10,"extra":"ignored"}""")]
    public async Task LaxInputIsAccepted(string body)
    {
        using var response = await _engine.Client.PostAsync(TestEngine.Music, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement[]> SubmitRawAsync(string body, string model = TestEngine.Music)
    {
        using var response = await _engine.Client.PostAsync(model, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await Json.ReadAsync(response)).GetProperty("detail").EnumerateArray().ToArray();
    }
}
