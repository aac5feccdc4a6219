using System.Net;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>GET /_engine/calls: the engine's own count of what each route answered, for tests that must prove what a client did.</summary>
public class CallCountTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CountsQueuedSubmissionsAndServedFilesButNotWhatAFaultAnswered()
    {
        // An engine of its own: the counts are for its whole life, so no other test may share it.
        await using var engine = await TestEngine.StartAsync(output, "--EnableFaultInjection", "true");
        var before = await Json.ReadAsync(await engine.Client.GetAsync("_engine/calls"));
        foreach (string route in new[] { "submit", "status", "stream", "result", "cancel", "file" })
            Assert.Equal(0, before.GetProperty(route).GetInt64());

        await engine.AddFaultAsync(new { target = "submit", kind = "http", status = 503 });
        using (var refused = await engine.PostSubmitAsync(new { prompt = "refused by a fault", duration = 10 }))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        using (var invalid = await engine.PostSubmitAsync(new { prompt = "invalid", duration = 5 }))
            Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        var first = await engine.SubmitAsync(new { prompt = "counted one", duration = 10 });
        var second = await engine.SubmitAsync(new { prompt = "counted two", duration = 10 });
        await engine.WaitForCompletionAsync(first);
        await engine.WaitForCompletionAsync(second);
        var result = await Json.ReadAsync(await engine.Client.GetAsync(first.Url("response_url")));
        using (var anonymous = engine.ClientWithoutKey())
        using (var file = await anonymous.GetAsync(result.GetProperty("audio_file").Url("url")))
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);

        var counts = await Json.ReadAsync(await engine.Client.GetAsync("_engine/calls"));
        Assert.Equal(2, counts.GetProperty("submit").GetInt64());
        Assert.Equal(1, counts.GetProperty("result").GetInt64());
        Assert.Equal(1, counts.GetProperty("file").GetInt64());
        Assert.Equal(0, counts.GetProperty("cancel").GetInt64());
    }

    [Fact]
    public async Task TheCountsNeedTheKeyAndTheSwitch()
    {
        await using (var engine = await TestEngine.StartAsync(output, "--EnableFaultInjection", "true"))
        {
            using var anonymous = engine.ClientWithoutKey();
            using var response = await anonymous.GetAsync("_engine/calls");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        await using (var engine = await TestEngine.StartAsync(output))
        {
            // Unmapped, the path only matches the submit route's pattern, which takes POST alone.
            using var response = await engine.Client.GetAsync("_engine/calls");
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }
    }
}
