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
        string? prompt = null, output = null;
        int seconds = 30;
        long? seed = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--prompt": prompt = args[i + 1]; break;
                case "--seconds": seconds = int.Parse(args[i + 1]); break;
                case "--out": output = args[i + 1]; break;
                case "--seed": seed = long.Parse(args[i + 1]); break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }
        if (prompt is null || output is null)
        {
            Console.Error.WriteLine("usage: render --prompt TEXT --seconds N --out FILE.wav [--seed N]");
            return 2;
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        using (var file = File.Create(output))
            TrackSynthesizer.RenderWav(new SynthRequest(prompt, seconds, seed), file);
        Console.WriteLine($"{output}: {PromptReader.Read(prompt)} ({started.Elapsed.TotalSeconds:0.000} s)");
        return 0;
    }
}
