using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// fal's result repeats "the status code, headers and body that the model returned", so a model-side validation
/// error arrives from the result after COMPLETED: 422, pydantic's detail list, X-Fal-Error-Type and X-Fal-Retryable.
/// A model-error fault rule on submit makes the next submission end that way.
/// </summary>
public class ModelErrorTests(FaultEngineFixture fixture, ITestOutputHelper output) : IClassFixture<FaultEngineFixture>, IAsyncLifetime
{
    /// <summary>The shared engine starts each test with no fault rules.</summary>
    public Task InitializeAsync() => fixture.Engine.ClearFaultsAsync();

    /// <summary>The shared engine's log tail goes with each test's output, shown when it fails.</summary>
    public Task DisposeAsync()
    {
        fixture.Engine.WriteLogTailTo(output);
        return Task.CompletedTask;
    }

    private static readonly object Input = new { prompt = "a forbidden tune", duration = 10 };

    [Fact]
    public async Task TheSubmissionIsAcceptedAndTheResultAnswers422WithTheModelsDetail()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var engine = fixture.Engine;
        await engine.AddFaultAsync(new { target = "submit", kind = "model-error", errorType = "content_policy_violation", detail = "The prompt was flagged." });
        var submitted = await engine.SubmitAsync(Input, query: "?fal_webhook=" + Uri.EscapeDataString(receiver.Url.AbsoluteUri));

        var status = await engine.WaitForCompletionAsync(submitted);
        // The queue only knows the runner answered: the status is COMPLETED and the result decides.
        Assert.Null(status.Str("error_type"));
        using var result = await engine.Client.GetAsync(submitted.Url("response_url"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, result.StatusCode);
        Assert.Equal("content_policy_violation", result.Headers.GetValues("X-Fal-Error-Type").Single());
        Assert.Equal("false", result.Headers.GetValues("X-Fal-Retryable").Single());
        var problem = (await Json.ReadAsync(result)).GetProperty("detail").EnumerateArray().Single();
        Assert.Equal(["body", "prompt"], problem.GetProperty("loc").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("The prompt was flagged.", problem.Str("msg"));
        Assert.Equal("content_policy_violation", problem.Str("type"));
        Assert.Equal("a forbidden tune", problem.Str("input"));
        Assert.Empty(Directory.GetFiles(engine.StorageFolder, submitted.Id() + ".wav*"));

        var hook = await receiver.WaitForDeliveryAsync();
        Assert.Equal("ERROR", hook.Str("status"));
        Assert.Equal("Invalid status code: 422", hook.Str("error"));
        Assert.Equal(JsonValueKind.Array, hook.GetProperty("payload").GetProperty("detail").ValueKind);
    }

    [Fact]
    public async Task TheFieldTypeAndRetryableCanBeChosenAndOnlyOneSubmissionIsAffected()
    {
        var engine = fixture.Engine;
        await engine.AddFaultAsync(new { target = "submit", kind = "model-error", field = "duration", retryable = true });
        var rejected = await engine.SubmitAsync(Input);
        var fine = await engine.SubmitAsync(Input);

        await engine.WaitForCompletionAsync(rejected);
        using var result = await engine.Client.GetAsync(rejected.Url("response_url"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, result.StatusCode);
        Assert.Equal("true", result.Headers.GetValues("X-Fal-Retryable").Single());
        Assert.Equal("value_error", result.Headers.GetValues("X-Fal-Error-Type").Single());
        var problem = (await Json.ReadAsync(result)).GetProperty("detail")[0];
        Assert.Equal("duration", problem.GetProperty("loc")[1].GetString());
        Assert.Equal(10, problem.GetProperty("input").GetInt32());

        await engine.WaitForCompletionAsync(fine);
        using var fineResult = await engine.Client.GetAsync(fine.Url("response_url"));
        Assert.Equal(HttpStatusCode.OK, fineResult.StatusCode);
    }

    [Fact]
    public async Task ARejectionSurvivesARestartOnTheSameStorageFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "cassette-model-error-" + Guid.NewGuid().ToString("N"));
        try
        {
            JsonElement rejected;
            await using (var engine = await TestEngine.StartAsync(output, "--EnableFaultInjection", "true", "--StorageFolder", folder))
            {
                await engine.AddFaultAsync(new { target = "submit", kind = "model-error" });
                rejected = await engine.SubmitAsync(Input);
                await engine.WaitForCompletionAsync(rejected);
            }
            await using var restarted = await TestEngine.StartAsync(output, "--StorageFolder", folder);
            using var result = await restarted.Client.GetAsync($"{TestEngine.Music}/requests/{rejected.Id()}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, result.StatusCode);
            Assert.Equal("value_error", (await Json.ReadAsync(result)).GetProperty("detail")[0].Str("type"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AModelErrorRuleOnlyAppliesToSubmit()
    {
        var engine = fixture.Engine;
        using var refused = await engine.Client.PostAsync("_engine/faults",
            new StringContent("""{"target":"result","kind":"model-error"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
