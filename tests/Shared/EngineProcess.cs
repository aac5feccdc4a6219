using System.Diagnostics;
using Cassette.EngineSupport;
using Xunit.Abstractions;

namespace Cassette.TestSupport;

/// <summary>
/// The local engine as a separate process for xunit tests, started by build/EngineLauncher.cs exactly as
/// build/LocalEngine.psm1 starts it for Pester, build.ps1 and bench. When it stops, the tail of its log goes to the
/// test's output, which the test runner prints with a failure (and keeps in the trx results).
/// </summary>
public sealed class EngineProcess : IDisposable
{
    /// <summary>Only stops a hang: the engine on a loaded machine may take a long time to start or stop.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private const int TailLines = 60;

    private readonly LocalEngineProcess _engine;
    private readonly ITestOutputHelper? _output;
    private bool _disposed;

    private EngineProcess(LocalEngineProcess engine, string? key, ITestOutputHelper? output)
    {
        _engine = engine;
        Key = key;
        _output = output;
    }

    public Uri Url => _engine.Url!;
    public string? Key { get; }
    public bool HasExited => _engine.HasExited;
    public int ExitCode => _engine.Process.ExitCode;

    /// <summary>The command line every launcher uses; adjust its environment, then pass it to <see cref="Start(ProcessStartInfo, string?, ITestOutputHelper?)"/>.</summary>
    public static ProcessStartInfo StartInfo(string? apiKey, params string[] arguments) =>
        LocalEngineProcess.StartInfo(EnginePath(), apiKey, arguments);

    /// <summary>Starts an engine with a fresh key on a free loopback port.</summary>
    public static EngineProcess Start(ITestOutputHelper? output, params string[] arguments)
    {
        string key = "test-" + Guid.NewGuid().ToString("N");
        return Start(StartInfo(key, arguments), key, output);
    }

    public static EngineProcess Start(ProcessStartInfo info, string? key, ITestOutputHelper? output) =>
        new(LocalEngineProcess.Start(info, key, Patience), key, output);

    /// <summary>SIGTERM, as a service manager or Stop-CassetteLocalEngine stops it; true when it exited by itself in time.</summary>
    public bool Terminate() => _engine.Stop(Patience);

    public string LogTail(int lines = TailLines) => _engine.LogTail(lines);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _engine.Stop(Patience);
        try { _output?.WriteLine($"Engine log (last {TailLines} lines):{Environment.NewLine}{_engine.LogTail(TailLines)}"); }
        catch (InvalidOperationException) { /* the test already ended: nothing to attach the log to */ }
        _engine.DeleteLog();
        _engine.Process.Dispose();
    }

    /// <summary>
    /// The engine this test build belongs to: next to the tests when they reference it, else
    /// src/Cassette.LocalEngine/bin/{Configuration}/net10.0 (the module's tests never reference the engine).
    /// </summary>
    private static string EnginePath()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "Cassette.LocalEngine.dll");
        if (File.Exists(beside)) return beside;
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = here.Parent!.Name;
        var root = here;
        while (root != null && !File.Exists(Path.Combine(root.FullName, "CassetteModule.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
        return Path.Combine(root.FullName, "src", "Cassette.LocalEngine", "bin", configuration, "net10.0", "Cassette.LocalEngine.dll");
    }
}
