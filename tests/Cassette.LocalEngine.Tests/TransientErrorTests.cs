using System.Net;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// Transient 500s on status and result, as fal's status endpoint sometimes answers (fal-js retries status 5 times,
/// 500 included): injected with http fault rules; the request itself is unaffected and answers normally afterwards.
/// </summary>
public class TransientErrorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StatusAndResultCanAnswer500AFewTimesWhileTheRequestRunsOn()
    {
        await using var engine = await TestEngine.StartAsync(output, "--EnableFaultInjection", "true");
        var submitted = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await engine.AddFaultAsync(new { target = "status", requestId = submitted.Id(), kind = "http", status = 500, errorType = "internal_error", count = 2 });
        await engine.AddFaultAsync(new { target = "result", requestId = submitted.Id(), kind = "http", status = 500, count = 1 });

        for (int i = 0; i < 2; i++)
        {
            using var failed = await engine.Client.GetAsync(submitted.Url("status_url"));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            Assert.Equal("internal_error", (await Json.ReadAsync(failed)).Str("error_type"));
        }
        await engine.WaitForCompletionAsync(submitted);
        using (var failed = await engine.Client.GetAsync(submitted.Url("response_url")))
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        using var result = await engine.Client.GetAsync(submitted.Url("response_url"));
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
    }
}
