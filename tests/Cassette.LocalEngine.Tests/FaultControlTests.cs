using System.Net;
using System.Net.Http.Json;
using System.Text;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>The /_engine/faults control API: add, inspect, remove, validate, and only when switched on.</summary>
public class FaultControlTests : IClassFixture<FaultEngineFixture>, IAsyncLifetime
{
    private readonly TestEngine _engine;
    private readonly ITestOutputHelper _output;

    public FaultControlTests(FaultEngineFixture fixture, ITestOutputHelper output)
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
    public async Task RulesCanBeListedInspectedAndRemoved()
    {
        var first = await _engine.AddFaultAsync(new { target = "status", kind = "http", status = 503, errorType = "runner_scheduling_failure", count = 2 });
        var second = await _engine.AddFaultAsync(new { target = "any", kind = "reset", count = 0 });
        Assert.Equal(2, first.GetProperty("remaining").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("remaining").ValueKind);

        var list = await Json.ReadAsync(await _engine.Client.GetAsync("_engine/faults"));
        Assert.Equal([first.Url("id"), second.Url("id")], list.GetProperty("rules").EnumerateArray().Select(r => r.Str("id")!).ToArray());

        using (var removed = await _engine.Client.DeleteAsync("_engine/faults/" + second.Url("id")))
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using (var gone = await _engine.Client.GetAsync("_engine/faults/" + second.Url("id")))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using (var again = await _engine.Client.DeleteAsync("_engine/faults/" + second.Url("id")))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var kept = await Json.ReadAsync(await _engine.Client.GetAsync("_engine/faults/" + first.Url("id")));
        Assert.Equal(0, kept.GetProperty("fired").GetInt32());
        await _engine.ClearFaultsAsync();
        Assert.Equal(0, (await Json.ReadAsync(await _engine.Client.GetAsync("_engine/faults"))).GetProperty("rules").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"target":"nowhere","kind":"http","status":500}""", "target must be one of")]
    [InlineData("""{"target":"status","kind":"explode"}""", "kind must be one of")]
    [InlineData("""{"target":"status","kind":"stall"}""", "applies only to target")]
    [InlineData("""{"target":"submit","kind":"http","status":500,"requestId":"x"}""", "requestId cannot be used")]
    [InlineData("""{"target":"status","kind":"http"}""", "status between")]
    [InlineData("""{"target":"status","kind":"http","status":503,"retryAfterFormat":"minutes"}""", "retryAfterFormat")]
    [InlineData("""{"target":"status","kind":"delay"}""", "delayMs")]
    [InlineData("""{"target":"file","kind":"replace-body"}""", "exactly one of")]
    [InlineData("""{"target":"file","kind":"replace-body","bodyBase64":"%%%"}""", "not valid base64")]
    [InlineData("""{"target":"result","kind":"patch-result"}""", "audioFile")]
    [InlineData("""{"target":"status","kind":"http","status":500,"count":-1}""", "must not be negative")]
    [InlineData("""{"target":"status","kind":"http","status":500,"sttaus":1}""", "not valid JSON for a fault rule")]
    [InlineData("""not json""", "not valid JSON for a fault rule")]
    public async Task AnInvalidRuleIsRefusedWithTheReason(string rule, string reason)
    {
        using var response = await _engine.Client.PostAsync("_engine/faults", new StringContent(rule, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await Json.ReadAsync(response)).Str("detail"));
    }

    [Fact]
    public async Task TheControlApiNeedsTheKey()
    {
        using var anonymous = _engine.ClientWithoutKey();
        using var response = await anonymous.PostAsJsonAsync("_engine/faults", new { target = "any", kind = "reset" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WithoutTheSwitchThereIsNoControlApi()
    {
        await using var engine = await TestEngine.StartAsync(_output);
        using var response = await engine.Client.PostAsJsonAsync("_engine/faults", new { target = "any", kind = "reset" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task StartUpFaultsWorkWithoutTheControlApi()
    {
        await using var engine = await TestEngine.StartAsync(_output, "--Faults", """[{"target":"submit","kind":"http","status":429,"retryAfter":1}]""");
        using (var limited = await engine.PostSubmitAsync(new { prompt = "x", duration = 10 }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter!.Delta);
        }
        await engine.SubmitAsync(new { prompt = "x", duration = 10 });
    }

    [Fact]
    public void InvalidStartUpFaultsStopTheBuild()
    {
        var error = Assert.Throws<ArgumentException>(() => EngineHost.Build(["--urls", "http://127.0.0.1:0", "--Faults", """[{"target":"file","kind":"patch-result","audioFile":{}}]"""]));
        Assert.Contains("applies only to target result", error.Message);
    }
}
