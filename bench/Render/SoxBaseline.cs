using System.Diagnostics;

namespace Cassette.Bench.Render;

/// <summary>
/// The fixed CPU baseline of issue 16: `sox -n -r 44100 -c 2 -b 16 x.wav synth N pinknoise reverb 50`, the same
/// length of stereo audio made and reverberated by a mature C program. Timed as a whole process, between the
/// renders, so both see the same load on a shared machine.
/// </summary>
internal sealed class SoxBaseline : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"cassette-bench-sox-{Environment.ProcessId}.wav");

    private SoxBaseline(string executable) => Executable = executable;

    public string Executable { get; }

    /// <summary>sox from the PATH, or null (with the reason printed) when it is not installed.</summary>
    public static SoxBaseline? Find()
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, OperatingSystem.IsWindows() ? "sox.exe" : "sox");
            if (File.Exists(candidate)) return new SoxBaseline(candidate);
        }
        Console.WriteLine("sox is not on the PATH (apt-get install sox): no baseline, so the ratio goals cannot be judged.");
        return null;
    }

    /// <summary>Wall-clock seconds sox takes to write <paramref name="seconds"/> of reverberated pink noise.</summary>
    public double Run(int seconds)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-n", "-r", "44100", "-c", "2", "-b", "16", _output, "synth", seconds.ToString(), "pinknoise", "reverb", "50" })
            start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var sox = Process.Start(start) ?? throw new InvalidOperationException("sox did not start.");
        string errors = sox.StandardError.ReadToEnd();
        sox.StandardOutput.ReadToEnd();
        sox.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        if (sox.ExitCode != 0) throw new InvalidOperationException($"sox exited with {sox.ExitCode}: {errors}");
        return wall;
    }

    public void Dispose() => File.Delete(_output);
}
