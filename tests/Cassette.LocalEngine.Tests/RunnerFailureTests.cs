using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// A runner failure that is the engine's own bug: the client sees fal's 500 runner_server_error and nothing more,
/// while the engine log keeps the exception (type, message, stack) and the prompt, seed and duration that replay it.
/// </summary>
public class RunnerFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheEngineLogKeepsTheExceptionAndTheReplayableInputWhileTheClientSeesFalsRunnerError()
    {
        string folder = Directory.CreateTempSubdirectory("cassette-runner-failure-").FullName;
        try
        {
            await using var engine = await TestEngine.StartAsync(output, "--StorageFolder", folder);
            // With its folder gone the runner cannot write the audio: a failure on the engine's side, not the client's.
            Directory.Delete(folder, recursive: true);
            var submitted = await engine.SubmitAsync(new { prompt = "a broken disk", duration = 10, seed = 7 });

            var status = await engine.WaitForCompletionAsync(submitted);
            Assert.Equal("runner_server_error", status.Str("error_type"));
            using var result = await engine.Client.GetAsync(submitted.Url("response_url"));
            Assert.Equal(500, (int)result.StatusCode);
            var body = await Json.ReadAsync(result);
            Assert.Equal("runner_server_error", body.Str("error_type"));
            Assert.DoesNotContain("DirectoryNotFoundException", body.ToString());

            // Stopped first: the log reaches its file through a pipe, complete only once the engine has exited.
            var logged = Assert.Single(await engine.StopAndTakeLoggedErrorsAsync());
            Assert.Contains($"Request {submitted.Id()} failed: prompt \"a broken disk\", seed 7, duration 10 s", logged);
            Assert.Contains("System.IO.DirectoryNotFoundException", logged);
            Assert.Contains("   at ", logged); // the stack
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
