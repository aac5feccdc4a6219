using Cassette.Synth.Composition;
using Cassette.Synth.Mixing;
using Cassette.Synth.Prompt;

namespace Cassette.Bench.Render;

/// <summary>
/// stems --prompt TEXT [--seconds N] [--raw DIR]: renders each part alone at its mix level (before mastering) and prints its
/// peak, RMS and largest sample-to-sample jump: where to look when the mix has clicks or a part is too loud.
/// </summary>
internal static class StemReport
{
    public static int Run(string[] args)
    {
        var (prompt, seconds) = CommandLine.Track(args);
        // --raw DIR also writes each stem as raw mono float32, the input format of bpm-tools' bpm.
        string? rawFolder = CommandLine.Option(args, "--raw");
        var reading = PromptReader.Read(prompt);
        var score = Composer.Compose(reading, seconds, null);
        Console.WriteLine(reading);
        foreach (var part in score.Parts)
        {
            var arena = SampleArena.Rent();
            var renderer = new PartRenderer(part, 8192, 80f, 1, arena);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            float gain = MathF.Pow(10f, part.Mix.GainDb / 20f);
            double peak = 0, sum = 0, jump = 0, jumpAt = 0;
            using var raw = rawFolder is null ? null : new BinaryWriter(File.Create(Path.Combine(rawFolder, $"{part.Role}.f32")));
            float previous = 0;
            for (long start = 0; start < score.TotalFrames; start += 8192)
            {
                int count = (int)Math.Min(8192, score.TotalFrames - start);
                renderer.Render(start, count, 0);
                for (int i = 0; i < count; i++)
                {
                    float x = renderer.Left(0)[i] * gain;
                    raw?.Write((renderer.Left(0)[i] + renderer.Right(0)[i]) * 0.5f * gain);
                    peak = Math.Max(peak, Math.Abs(x));
                    sum += x * x;
                    if (Math.Abs(x - previous) > jump) (jump, jumpAt) = (Math.Abs(x - previous), (start + i) / 44100.0);
                    previous = x;
                }
            }
            SampleArena.Return(arena);
            Console.WriteLine($"{part.Role,-8} {part.Instrument,-20} notes {part.Notes.Count,5}  peak {peak:0.000}  rms {Math.Sqrt(sum / score.TotalFrames):0.0000}  max jump {jump:0.000} at {jumpAt:0.00} s  {clock.Elapsed.TotalMilliseconds:0} ms");
        }
        return 0;
    }
}
