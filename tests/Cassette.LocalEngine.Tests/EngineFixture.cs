using System.Net.Http.Headers;
using Cassette.LocalEngine;
using Microsoft.AspNetCore.Builder;

namespace Cassette.LocalEngine.Tests;

/// <summary>A real engine on a free loopback port, talked to over HTTP like any client would.</summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public const string Key = "test-key-id:test-key-secret";
    private WebApplication? _app;

    public Uri BaseUrl { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = EngineHost.Build(["--urls", "http://127.0.0.1:0", "--ApiKey", Key, "--Workers", "2"]);
        await _app.StartAsync();
        BaseUrl = new Uri(_app.Urls.Single().TrimEnd('/') + "/");
        Client = new HttpClient { BaseAddress = BaseUrl };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", Key);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
