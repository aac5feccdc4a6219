using System.Diagnostics;
using Cassette.Synth;

namespace Cassette.Bench.Render;

/// <summary>
/// Median wall-clock render time of 30 s and 180 s tracks over several warm runs, for prompts that stress
/// different parts of the synthesizer, the processor time they took (both cores summed: steadier than wall time
/// when other work shares the machine), and the process's peak memory as the OS reports it. The baseline is sox
/// making the same length of reverberated pink noise (<see cref="SoxBaseline"/>), run between the renders so both
/// meet the same load: the goal is the slowest prompt's median at or below sox's median (issue 16), and a peak
/// working set of at most 150 MB. Also prints the ratio to CassetteAI's published times (under 2 s and 10 s).
/// Usage: [--runs N] [--prompt TEXT]... Each prompt and length is rendered three times untimed first.
/// </summary>
internal static class Benchmark
{
    internal static readonly string[] DefaultPrompts =
    [
        "liquid drum and bass, 174 bpm, in E minor",
        "uplifting trance anthem, Key: A Minor, 138 BPM",
        "calm ambient pads, Key: Ab Major, Tempo: 70 BPM",
        "energetic rock with electric guitars, Key: E Major, Tempo: 128 BPM",
        "Smooth chill hip-hop beat, Key: D Minor, Tempo: 90 BPM",
    ];

    private const int WarmUpRenders = 3;
    public const double PeakGoalMB = 150;

    private static readonly (int Seconds, double CassetteAi)[] Lengths = [(30, 2.0), (180, 10.0)];

    public static int Run(string[] args)
    {
        int runs = 5;
        var prompts = new List<string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--runs") runs = int.Parse(args[i + 1]);
            else if (args[i] == "--prompt") prompts.Add(args[i + 1]);
        }
        if (prompts.Count == 0) prompts.AddRange(DefaultPrompts);
        using var sox = SoxBaseline.Find();

        Console.WriteLine($"Cassette synth render benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {runs} warm runs each, median; sox runs between the renders");
        Console.WriteLine($"{"prompt",-62} {"length",6} {"median",8} {"min",7} {"max",7} {"cpu",7} {"vs sox",7} {"vs CassetteAI",14}");
        var summaries = new List<string>();
        foreach (var (seconds, cassetteAi) in Lengths)
        {
            // Warm-up: the engine is a long-running server, so what counts is the steady state. One render was not
            // enough for the first prompt: tiered compilation was still promoting hot loops during its timed runs.
            foreach (string prompt in prompts)
                for (int i = 0; i < WarmUpRenders; i++) Render(prompt, seconds);
            sox?.Run(seconds);

            // Each round times sox before the first and the middle prompt, and every prompt once, so a burst of load
            // elsewhere hits both sides.
            var soxTimes = new List<double>();
            var measured = prompts.ToDictionary(p => p, _ => new List<(double Wall, double Cpu)>());
            for (int r = 0; r < runs; r++)
                for (int i = 0; i < prompts.Count; i++)
                {
                    if (sox is not null && (i == 0 || i == prompts.Count / 2)) soxTimes.Add(sox.Run(seconds));
                    measured[prompts[i]].Add(Render(prompts[i], seconds));
                }
            double soxMedian = sox is null ? double.NaN : Median(soxTimes);
            double worst = 0;
            foreach (string prompt in prompts)
            {
                var times = measured[prompt].Select(m => m.Wall).Order().ToArray();
                double median = Median(times), cpu = Median(measured[prompt].Select(m => m.Cpu));
                worst = Math.Max(worst, median);
                Console.WriteLine($"{Shorten(prompt),-62} {seconds,5}s {median,7:0.000}s {times[0],6:0.000}s {times[^1],6:0.000}s {cpu,6:0.000}s {median / soxMedian,6:0.00}x {cassetteAi / median,10:0.0}x faster");
            }
            string verdict = sox is null ? "not judged: no sox" : worst <= soxMedian ? "met" : "NOT MET";
            summaries.Add($"{seconds,3} s track: slowest median {worst:0.000} s; sox baseline {soxMedian:0.000} s (median of {soxTimes.Count}); ratio {worst / soxMedian:0.00} (goal <= 1.00: {verdict}; CassetteAI < {cassetteAi:0} s)");
        }
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        double peak = process.PeakWorkingSet64 / 1048576.0;
        Console.WriteLine();
        foreach (string summary in summaries) Console.WriteLine(summary);
        Console.WriteLine($"peak working set: {peak:0} MB (goal <= {PeakGoalMB:0} MB: {(peak <= PeakGoalMB ? "met" : "NOT MET")})");
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Wall-clock seconds, and processor seconds summed over both cores (less noisy on a shared machine).</summary>
    private static (double Wall, double Cpu) Render(string prompt, int seconds)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        TrackSynthesizer.RenderWav(new SynthRequest(prompt, seconds), Stream.Null);
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
