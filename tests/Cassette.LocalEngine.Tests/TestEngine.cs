using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// A real engine on a free loopback port with its own options, talked to over HTTP like any client would. It runs in
/// the test process so tests can look inside (its folder, its queue); tests of the engine as a process, and every
/// other suite, use the one launcher (<see cref="Cassette.TestSupport.EngineProcess"/>, build/EngineLauncher.cs).
/// Its warnings and errors are captured: a wait that gives up shows them, and an engine that logged an error (its
/// own bug, such as a runner failure) fails the test or fixture when it is disposed, with the exception.
/// </summary>
public sealed class TestEngine : IAsyncDisposable
{
    public const string Key = "test-key-id:test-key-secret";
    public const string Music = "CassetteAI/music-generator";
    public const string SoundEffects = "CassetteAI/sound-effects-generator";
    /// <summary>Long enough that a request stays IN_PROGRESS until a test cancels it.</summary>
    public static readonly string[] HoldRequests = ["--Workers", "1", "--ProcessingSeconds", "600"];
    /// <summary>Only stops a hang; generous, as the suite runs on loaded machines.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly WebApplication _app;
    private readonly EngineLogCapture _log;
    private bool _stopped;

    private TestEngine(WebApplication app, EngineLogCapture log)
    {
        _app = app;
        _log = log;
        BaseUrl = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        Client = new HttpClient { BaseAddress = BaseUrl, Timeout = Patience };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", Key);
    }

    public Uri BaseUrl { get; }
    public HttpClient Client { get; }

    /// <summary>Starts an engine with the test key and two workers unless <paramref name="options"/> say otherwise.</summary>
    public static async Task<TestEngine> StartAsync(params string[] options)
    {
        var app = EngineHost.Build(["--urls", "http://127.0.0.1:0", "--ApiKey", Key, "--Workers", "2", .. options]);
        var log = new EngineLogCapture();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        await app.StartAsync();
        return new TestEngine(app, log);
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>The errors the engine logged so far, taken: a test that provokes one on purpose asserts and clears them.</summary>
    public IReadOnlyList<string> TakeLoggedErrors() => _log.TakeErrors();

    /// <summary>The engine's latest warnings and errors, for a failure message.</summary>
    public string LogTail(int entries = 20) => _log.Tail(entries);

    public HttpClient ClientWithoutKey() => new() { BaseAddress = BaseUrl, Timeout = Patience };

    public async Task<JsonElement> SubmitAsync(object input, string model = Music, Action<HttpRequestMessage>? configure = null, string query = "")
    {
        using var response = await PostSubmitAsync(input, model, configure, query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    public Task<HttpResponseMessage> PostSubmitAsync(object input, string model = Music, Action<HttpRequestMessage>? configure = null, string query = "")
    {
        var message = new HttpRequestMessage(HttpMethod.Post, model + query) { Content = JsonContent.Create(input) };
        configure?.Invoke(message);
        return Client.SendAsync(message);
    }

    public async Task<JsonElement> StatusAsync(JsonElement submitted, bool logs = false)
    {
        using var response = await Client.GetAsync(submitted.Url("status_url") + (logs ? "?logs=1" : ""));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"status answered {response.StatusCode}");
        return await Json.ReadAsync(response);
    }

    /// <summary>Polls status until <paramref name="until"/> holds; fails after a generous timeout so a bug cannot hang the suite.</summary>
    public async Task<JsonElement> WaitForAsync(JsonElement submitted, Func<JsonElement, bool> until, bool logs = false)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var status = await StatusAsync(submitted, logs);
            if (until(status)) return status;
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting; last status: {status}{Environment.NewLine}Engine log: {LogTail()}");
            await Task.Delay(20);
        }
    }

    public Task<JsonElement> WaitForCompletionAsync(JsonElement submitted, bool logs = false) =>
        WaitForAsync(submitted, s => s.Str("status") == "COMPLETED", logs);

    public Task<JsonElement> WaitUntilRunningAsync(JsonElement submitted) =>
        WaitForAsync(submitted, s => s.Str("status") == "IN_PROGRESS");

    public async Task<HttpStatusCode> CancelAsync(JsonElement submitted)
    {
        using var response = await Client.PutAsync(submitted.Url("cancel_url"), null);
        return response.StatusCode;
    }

    public async Task<JsonElement> AddFaultAsync(object rule)
    {
        using var response = await Client.PostAsJsonAsync("_engine/faults", rule);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await Client.DeleteAsync("_engine/faults");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>Stops the engine; fails when its own code logged an error while it ran, which is always an engine bug.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
        var errors = _log.Errors;
        if (errors.Count > 0)
            throw new Xunit.Sdk.XunitException($"The engine logged {errors.Count} error(s), an engine bug:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync();
    }
}
