using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// fal issues #1112, #1147, #1162: an account whose balance is exhausted gets 403 "User is locked" on submit, while
/// status and result calls still answer. --LockedKeys names such keys; an http fault rule can do the same.
/// </summary>
public class LockedAccountTests(ITestOutputHelper output)
{
    private const string LockedKey = "locked-id:locked-secret";
    private const string Detail = "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.";
    private static readonly object Input = new { prompt = "x", duration = 10 };

    [Fact]
    public async Task ALockedKeyIsRefusedWith403OnSubmitButStillReadsStatusAndResult()
    {
        await using var engine = await TestEngine.StartAsync(output, "--LockedKeys", "other:key, " + LockedKey);
        // Submitted while the balance lasted (with the engine's key); the same account is then locked.
        var submitted = await engine.SubmitAsync(Input);
        using var locked = engine.ClientWithoutKey();
        locked.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", LockedKey);

        using (var refused = await locked.PostAsJsonAsync(TestEngine.Music, Input))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Detail, (await Json.ReadAsync(refused)).Str("detail"));
        }
        using (var status = await locked.GetAsync(submitted.Url("status_url")))
            Assert.True(status.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"status answered {status.StatusCode}");
        await engine.WaitForCompletionAsync(submitted);
        using (var result = await locked.GetAsync(submitted.Url("response_url")))
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        // A key that is neither the engine's nor locked is still refused as invalid.
        using var stranger = engine.ClientWithoutKey();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", "nobody:nothing");
        using var unauthorized = await stranger.GetAsync(submitted.Url("status_url"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    [Fact]
    public async Task AnHttpFaultRuleGivesTheSameAnswerOnSubmitOnly()
    {
        await using var engine = await TestEngine.StartAsync(output, "--EnableFaultInjection", "true");
        var submitted = await engine.SubmitAsync(Input);
        await engine.AddFaultAsync(new { target = "submit", kind = "http", status = 403, detail = Detail, count = 0 });

        using (var refused = await engine.PostSubmitAsync(Input))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(Detail, (await Json.ReadAsync(refused)).Str("detail"));
        }
        await engine.WaitForCompletionAsync(submitted);
    }
}
