using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>fal's authentication: every queue call needs "Authorization: Key ..."; files, like fal's CDN, do not.</summary>
public class AuthTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryQueueCallWithoutTheConfiguredKeyIs401()
    {
        await using var engine = await TestEngine.StartAsync(output, "--EnableFaultInjection", "true");
        var submitted = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        var file = await FileUrlAsync(engine, submitted);
        foreach (var authorization in new[] { null, "Key wrong:key", "Bearer " + TestEngine.Key, "Key " })
        {
            using var client = engine.ClientWithoutKey();
            if (authorization is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
            var calls = new[]
            {
                client.PostAsJsonAsync(TestEngine.Music, new { prompt = "x", duration = 10 }),
                client.GetAsync(submitted.Url("status_url")),
                client.GetAsync(submitted.Url("status_url") + "/stream"),
                client.GetAsync(submitted.Url("response_url")),
                client.PutAsync(submitted.Url("cancel_url"), null),
                client.GetAsync("_engine/faults"),
            };
            foreach (var call in calls)
            {
                using var response = await call;
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.True(response.Headers.Contains("x-fal-request-id"));
            }
            using var download = await client.GetAsync(file);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        }
    }

    [Fact]
    public async Task WithoutAConfiguredKeyAnyKeyIsAcceptedButOneIsStillRequired()
    {
        await using var engine = await StartWithoutKeyAsync();
        using var anonymous = engine.ClientWithoutKey();
        using var missing = await anonymous.PostAsJsonAsync(TestEngine.Music, new { prompt = "x", duration = 10 });
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", "anything:at-all");
        using var accepted = await anonymous.PostAsJsonAsync(TestEngine.Music, new { prompt = "x", duration = 10 });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private async Task<TestEngine> StartWithoutKeyAsync() =>
        // An empty value unsets the key the helper passes by default.
        await TestEngine.StartAsync(output, "--ApiKey", "");

    private static async Task<string> FileUrlAsync(TestEngine engine, System.Text.Json.JsonElement submitted)
    {
        await engine.WaitForCompletionAsync(submitted);
        using var result = await engine.Client.GetAsync(submitted.Url("response_url"));
        return (await Json.ReadAsync(result)).GetProperty("audio_file").Url("url");
    }
}
