using Cassette.Synth;
using Cassette.Synth.Prompt;

namespace Cassette.Bench.Render;

/// <summary>
/// render --prompt TEXT --seconds N --out FILE.wav [--seed N]: renders one track and prints how the prompt was read.
/// </summary>
internal static class RenderCommand
{
    public static int Run(string[] args)
    {
        string? output = CommandLine.Option(args, "--out");
        if (CommandLine.Option(args, "--prompt") is null || output is null)
        {
            Console.Error.WriteLine("usage: render --prompt TEXT --seconds N --out FILE.wav [--seed N]");
            return 2;
        }
        var (prompt, seconds) = CommandLine.Track(args);
        long? seed = CommandLine.Option(args, "--seed") is { } text ? long.Parse(text) : null;
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (var file = File.Create(output))
            TrackSynthesizer.RenderWav(new SynthRequest(prompt, seconds, seed), file);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        Console.WriteLine($"{output}: {PromptReader.Read(prompt)} ({started.Elapsed.TotalSeconds:0.000} s, " +
                          $"{GC.GetTotalAllocatedBytes() / 1048576.0:0} MB allocated, peak working set {process.PeakWorkingSet64 / 1048576.0:0} MB)");
        return 0;
    }
}
