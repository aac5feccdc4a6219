using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cassette.Tests;

/// <summary>
/// The local engine as a separate process on a free loopback port, started from the build the tests belong to
/// (the module never references the engine; tests talk to it over HTTP like a user's module would).
/// </summary>
internal sealed class EngineProcess : IDisposable
{
    private readonly Process _process;

    private EngineProcess(Process process, Uri url, string key)
    {
        _process = process;
        Url = url;
        Key = key;
    }

    public Uri Url { get; }
    public string Key { get; }

    public static EngineProcess Start(params string[] arguments)
    {
        string key = "test-" + Guid.NewGuid().ToString("N");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(EnginePath());
        foreach (string a in new[] { "--urls", "http://127.0.0.1:0", "--ApiKey", key }.Concat(arguments)) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var line = process.StandardOutput.ReadLine();
            if (line is null) break;
            var match = Regex.Match(line, @"listening on (http://\S+)");
            if (match.Success)
            {
                // Keep reading so a chatty engine never blocks on a full pipe.
                _ = Task.Run(() => { while (process.StandardOutput.ReadLine() != null) { } });
                return new EngineProcess(process, new Uri(match.Groups[1].Value.TrimEnd('/') + "/"), key);
            }
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("The local engine did not report its address.");
    }

    /// <summary>src/Cassette.LocalEngine/bin/{Configuration}/net10.0/Cassette.LocalEngine.dll, the configuration of this test build.</summary>
    private static string EnginePath()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = here.Parent!.Name;
        var root = here;
        while (root != null && !File.Exists(Path.Combine(root.FullName, "CassetteModule.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
        string path = Path.Combine(root.FullName, "src", "Cassette.LocalEngine", "bin", configuration, "net10.0", "Cassette.LocalEngine.dll");
        if (!File.Exists(path)) throw new FileNotFoundException("Build the solution first: the engine is not at " + path, path);
        return path;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(15000);
        }
        _process.Dispose();
    }
}
