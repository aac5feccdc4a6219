using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cassette.LocalEngine.Tests;

/// <summary>The engine as a separate process (dotnet Cassette.LocalEngine.dll), started the way scripts start it.</summary>
public sealed partial class EngineProcess : IDisposable
{
    private readonly Process _process;

    private EngineProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Cassette.LocalEngine.dll"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    public static async Task<EngineProcess> StartAsync(ProcessStartInfo info)
    {
        var process = Process.Start(info)!;
        using var patience = new CancellationTokenSource(TestEngine.Patience);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(patience.Token) is { } line)
            {
                var match = ListeningLine().Match(line);
                if (match.Success) return new EngineProcess(process, new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
        }
        catch (OperationCanceledException) { }
        string errors = process.HasExited ? await process.StandardError.ReadToEndAsync() : "";
        process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new Xunit.Sdk.XunitException("The engine did not report its address. " + errors);
    }

    /// <summary>SIGTERM, as a service manager or Stop-CassetteLocalEngine stops it; true when it exited in time.</summary>
    public async Task<bool> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
        using var patience = new CancellationTokenSource(TestEngine.Patience);
        try { await _process.WaitForExitAsync(patience.Token); }
        catch (OperationCanceledException) { return false; }
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [GeneratedRegex(@"^Cassette local engine listening on (http://\S+)$")]
    private static partial Regex ListeningLine();
}
