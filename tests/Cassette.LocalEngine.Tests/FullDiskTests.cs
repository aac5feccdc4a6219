using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// Issue 18: a whole engine process whose storage folder is a 2 MB tmpfs, mounted in a mount namespace of the engine's
/// own (`unshare --mount --map-root-user`), so the real disk is never filled and nothing outlives the engine. One
/// 10 s track (1.7 MB) fits; the next one runs out of space part way.
/// </summary>
public class FullDiskTests(ITestOutputHelper output)
{
    /// <summary>Makes the storage folder a small tmpfs, then execs the engine in its place ($0 is the folder).</summary>
    private const string MountThenRun = "mount -t tmpfs -o size=2m cassette-full-disk \"$0\" && exec \"$@\"";

    [TmpfsFact]
    public async Task ARenderThatFillsTheDiskFailsAsFalsRunnerErrorIsLoggedAsTheMachinesAndTheEngineGoesOn()
    {
        string folder = Directory.CreateTempSubdirectory("cassette-full-disk-").FullName;
        try
        {
            await using var engine = await TestEngine.StartBehindAsync(output,
                ["unshare", "--mount", "--map-root-user", "sh", "-c", MountThenRun, folder], "--StorageFolder", folder);

            var fits = await engine.SubmitAsync(new { prompt = "fills most of the disk", duration = 10, seed = 1 });
            Assert.Equal(HttpStatusCode.OK, await ResultStatusAsync(engine, fits));

            var overflows = await engine.SubmitAsync(new { prompt = "does not fit", duration = 10, seed = 2 });
            var status = await engine.WaitForCompletionAsync(overflows);
            Assert.Equal("runner_server_error", status.Str("error_type"));
            using (var result = await engine.Client.GetAsync(overflows.Url("response_url")))
            {
                Assert.Equal(HttpStatusCode.InternalServerError, result.StatusCode);
                Assert.Equal("runner_server_error", (await Json.ReadAsync(result)).Str("error_type"));
            }

            // Its partial file was removed, so a short sound effect fits in the space left: the engine goes on.
            var after = await engine.SubmitAsync(new { prompt = "a short click", duration = 1, seed = 3 }, TestEngine.SoundEffects);
            Assert.Equal(HttpStatusCode.OK, await ResultStatusAsync(engine, after));

            var logged = Assert.Single(await engine.StopAndTakeLoggedErrorsAsync());
            Assert.Contains($"Request {overflows.Id()} failed: the storage folder {folder} is out of space or file handles", logged);
            Assert.Contains("not the engine's bug", logged);
            Assert.Contains("No space left on device", logged);
            Assert.Contains("prompt \"does not fit\", seed 2, duration 10 s", logged);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<HttpStatusCode> ResultStatusAsync(TestEngine engine, System.Text.Json.JsonElement submitted)
    {
        await engine.WaitForCompletionAsync(submitted);
        using var result = await engine.Client.GetAsync(submitted.Url("response_url"));
        return result.StatusCode;
    }
}

/// <summary>
/// A fact that mounts a tmpfs in a mount namespace of its own: needs Linux and a kernel and container that allow an
/// unprivileged `unshare --mount --map-root-user` and a tmpfs mount in it (Docker's default seccomp profile does not);
/// skipped elsewhere, with the reason.
/// </summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> WhyNot = new(Probe);

    public TmpfsFactAttribute()
    {
        Skip = WhyNot.Value;
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "needs Linux";
        string folder = Directory.CreateTempSubdirectory("cassette-tmpfs-probe-").FullName;
        try
        {
            var info = new ProcessStartInfo("unshare") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string word in new[] { "--mount", "--map-root-user", "sh", "-c", "mount -t tmpfs -o size=1m probe \"$0\"", folder })
                info.ArgumentList.Add(word);
            using var probe = Process.Start(info)!;
            string error = probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return probe.ExitCode == 0 ? null : $"cannot mount a tmpfs here (unshare --mount --map-root-user, then mount): {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"needs unshare (util-linux): {ex.Message}";
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
