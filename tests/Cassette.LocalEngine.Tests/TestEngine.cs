using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cassette.TestSupport;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// A real engine process on a free loopback port, started by the one launcher (build/EngineLauncher.cs through
/// <see cref="EngineProcess"/>) exactly as a user starts it, and talked to over HTTP only. Tests see what a user
/// could: its answers, its log, and its storage folder on disk.
/// Each engine gets a temporary folder of its own as TMPDIR (TMP and TEMP on Windows), so the storage folder the
/// engine makes when no --StorageFolder is given is found there, and nothing outlives the test.
/// The engine's log tail goes to the test's output when it stops, and into every wait that gives up; an engine that
/// logged an error of its own (a bug, such as a runner failure) fails the test or fixture when it is stopped.
/// </summary>
public sealed class TestEngine : IAsyncDisposable
{
    public const string Key = "test-key-id:test-key-secret";
    public const string Music = "CassetteAI/music-generator";
    public const string SoundEffects = "CassetteAI/sound-effects-generator";
    /// <summary>Long enough that a request stays IN_PROGRESS until a test cancels it.</summary>
    public static readonly string[] HoldRequests = ["--Workers", "1", "--ProcessingSeconds", "600"];
    /// <summary>Only stops a hang; generous, as the suite runs on loaded machines.</summary>
    public static readonly TimeSpan Patience = EngineProcess.Patience;
    private const string StorageFolderOption = "--StorageFolder";
    /// <summary>The prefix of the temporary storage folder the engine makes for itself (Storage/FileStore.cs).</summary>
    private const string EngineTemporaryFolderPrefix = "cassette-engine-";

    private readonly EngineProcess _process;
    private readonly string _temporaryRoot;
    private int _errorsTaken;
    private bool _stopped;

    private TestEngine(EngineProcess process, string temporaryRoot, string storageFolder)
    {
        _process = process;
        _temporaryRoot = temporaryRoot;
        StorageFolder = storageFolder;
        BaseUrl = process.Url;
        Client = new HttpClient { BaseAddress = BaseUrl, Timeout = Patience };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", Key);
    }

    public Uri BaseUrl { get; }
    /// <summary>True once the engine process has ended (a crash, say).</summary>
    public bool HasExited => _process.HasExited;
    public HttpClient Client { get; }

    /// <summary>
    /// Where the engine keeps audio and request index entries: the --StorageFolder given, else the temporary folder
    /// it made for itself (which it removes when it stops gracefully).
    /// </summary>
    public string StorageFolder { get; }

    /// <summary>Starts an engine with the test key and two workers unless <paramref name="options"/> say otherwise.</summary>
    public static Task<TestEngine> StartAsync(params string[] options) => StartAsync(null, options);

    /// <summary>The same, with the engine's log tail written to <paramref name="output"/> when it stops.</summary>
    public static Task<TestEngine> StartAsync(ITestOutputHelper? output, params string[] options) =>
        StartBehindAsync(output, [], options);

    /// <summary>
    /// The same, with the engine's command line run by <paramref name="commandPrefix"/> (say `prlimit --nofile=600:600 --`),
    /// which must exec it, so that the process the test stops is the engine itself. Each prefix word may use
    /// {TMPDIR}, the engine's temporary folder.
    /// </summary>
    public static async Task<TestEngine> StartBehindAsync(ITestOutputHelper? output, string[] commandPrefix, params string[] options)
    {
        string temporaryRoot = Directory.CreateTempSubdirectory("cassette-test-engine-").FullName;
        try
        {
            var info = Behind(commandPrefix.Select(word => word.Replace("{TMPDIR}", temporaryRoot)).ToArray(),
                EngineProcess.StartInfo(Key, ["--Workers", "2", .. options]));
            foreach (string variable in new[] { "TMPDIR", "TMP", "TEMP" }) info.Environment[variable] = temporaryRoot;
            // Starting waits, with a deadline, for the engine's "listening on" line: off the test's thread.
            var process = await Task.Run(() => EngineProcess.Start(info, Key, output));
            try
            {
                return new TestEngine(process, temporaryRoot, FindStorageFolder(options, temporaryRoot));
            }
            catch
            {
                process.Dispose();
                throw;
            }
        }
        catch
        {
            DeleteFolder(temporaryRoot);
            throw;
        }
    }

    private static System.Diagnostics.ProcessStartInfo Behind(string[] commandPrefix, System.Diagnostics.ProcessStartInfo engine)
    {
        if (commandPrefix.Length == 0) return engine;
        var info = new System.Diagnostics.ProcessStartInfo(commandPrefix[0])
        {
            RedirectStandardOutput = engine.RedirectStandardOutput,
            RedirectStandardError = engine.RedirectStandardError,
            UseShellExecute = false,
        };
        foreach (string word in commandPrefix.Skip(1)) info.ArgumentList.Add(word);
        info.ArgumentList.Add(engine.FileName);
        foreach (string argument in engine.ArgumentList) info.ArgumentList.Add(argument);
        foreach (var (name, value) in engine.Environment) info.Environment[name] = value;
        return info;
    }

    /// <summary>The engine creates its storage folder before it listens (the request index is restored first).</summary>
    private static string FindStorageFolder(string[] options, string temporaryRoot)
    {
        int given = Array.LastIndexOf(options, StorageFolderOption);
        if (given >= 0 && given + 1 < options.Length) return Path.GetFullPath(options[given + 1]);
        var made = Directory.GetDirectories(temporaryRoot, EngineTemporaryFolderPrefix + "*");
        if (made.Length != 1)
            throw new Xunit.Sdk.XunitException($"Expected the engine to make one temporary storage folder in {temporaryRoot}; found {made.Length}.");
        return made[0];
    }

    /// <summary>The errors the engine logged so far and not yet taken: a test that provokes one on purpose asserts them.</summary>
    /// <remarks>The log reaches its file through a pipe, so only after <see cref="StopAsync"/> is it complete.</remarks>
    public IReadOnlyList<string> TakeLoggedErrors()
    {
        var errors = EngineLogEntries.EngineErrors(_process.LogTail(int.MaxValue));
        var taken = errors.Skip(_errorsTaken).ToList();
        _errorsTaken = errors.Count;
        return taken;
    }

    /// <summary>The engine's last log lines, for a failure message.</summary>
    public string LogTail(int lines = 40) => _process.LogTail(lines);

    /// <summary>For a test class sharing a fixture's engine: the log tail, into this test's output.</summary>
    public void WriteLogTailTo(ITestOutputHelper output)
    {
        try { output.WriteLine($"Engine log (last 40 lines):{Environment.NewLine}{LogTail()}"); }
        catch (InvalidOperationException) { /* the test already ended */ }
    }

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

    /// <summary>
    /// How many calls each queue route answered with a success, from /_engine/calls (engines started with
    /// --EnableFaultInjection): "submit" is the number of requests really queued.
    /// </summary>
    public async Task<long> CallCountAsync(string route)
    {
        using var response = await Client.GetAsync("_engine/calls");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty(route).GetInt64();
    }

    /// <summary>
    /// Stops the engine as a service manager would (SIGTERM) and waits for it to exit; fails when it did not exit by
    /// itself in time, or when its own code logged an error that no test took, which is always an engine bug.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        Client.Dispose();
        bool graceful = await Task.Run(_process.Terminate);
        var errors = TakeLoggedErrors();
        string tail = LogTail();
        _process.Dispose();
        DeleteFolder(_temporaryRoot);
        if (!graceful)
            throw new Xunit.Sdk.XunitException($"The engine did not stop within {Patience.TotalSeconds} s of SIGTERM and was killed. Its log:{Environment.NewLine}{tail}");
        if (errors.Count > 0)
            throw new Xunit.Sdk.XunitException($"The engine logged {errors.Count} error(s), an engine bug:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    /// <summary>Stops the engine and returns the errors it logged that no test took yet, for a test that provoked them.</summary>
    public async Task<IReadOnlyList<string>> StopAndTakeLoggedErrorsAsync()
    {
        if (_stopped) throw new InvalidOperationException("The engine is already stopped.");
        bool graceful = await Task.Run(_process.Terminate);
        Assert.True(graceful, $"The engine did not stop on SIGTERM. Its log:{Environment.NewLine}{LogTail()}");
        var errors = TakeLoggedErrors();
        await StopAsync();
        return errors;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static void DeleteFolder(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { /* a file still held open on Windows: the OS temp cleaner takes it */ }
    }
}
