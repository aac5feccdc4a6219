using System.Diagnostics;
using Cassette.Synth.Composition;
using Cassette.Synth.Mixing;
using Cassette.Synth.Prompt;

namespace Cassette.Bench.Render;

/// <summary>
/// profile --prompt TEXT [--seconds N]: where a render's processor time goes, on one thread: each part, the mix bus
/// (sends, reverb, delay), mastering and encoding. Run twice; the second run is warm.
/// </summary>
internal static class ProfileCommand
{
    public static int Run(string[] args)
    {
        var (prompt, seconds) = CommandLine.Track(args);
        for (int run = 0; run < 2; run++) Profile(prompt, seconds, print: run == 1);
        return 0;
    }

    private static void Profile(string prompt, int seconds, bool print)
    {
        const int block = 8192;
        var clock = Stopwatch.StartNew();
        var reading = PromptReader.Read(prompt);
        var score = Composer.Compose(reading, seconds, null);
        double compose = clock.Elapsed.TotalSeconds;
        var arena = SampleArena.Rent();
        var parts = score.Parts.Select((p, i) => new PartRenderer(p, block, 80f, (ulong)i, arena)).ToArray();
        var partTimes = new double[parts.Length];
        var kicks = score.Parts.Where(p => p.Role == PartRole.Drums).SelectMany(p => p.Notes)
            .Where(n => (int)n.Pitch == (int)DrumSound.Kick).Select(n => n.Start).ToList();
        var bus = new MixBus(score.Master, block, score.TotalFrames, new SidechainCurve(kicks, 44100), 44100);
        var compact = new CompactMaster(score.TotalFrames);
        double busTime = 0;
        for (long start = 0; start < score.TotalFrames; start += block)
        {
            int count = (int)Math.Min(block, score.TotalFrames - start);
            for (int i = 0; i < parts.Length; i++)
            {
                var t = Stopwatch.GetTimestamp();
                parts[i].Render(start, count, 0);
                partTimes[i] += Stopwatch.GetElapsedTime(t).TotalSeconds;
            }
            var b = Stopwatch.GetTimestamp();
            bus.Sum(parts, 0, 0, start, count);
            bus.Finish(0, start, count, compact);
            busTime += Stopwatch.GetElapsedTime(b).TotalSeconds;
        }
        var m = Stopwatch.GetTimestamp();
        Mastering.Master(compact, score.TotalFrames, score.Master.TargetLufs, 44100);
        double master = Stopwatch.GetElapsedTime(m).TotalSeconds;
        SampleArena.Return(arena);
        bus.Release();
        var e = Stopwatch.GetTimestamp();
        PcmEncoder.Write(compact, score.TotalFrames, Stream.Null, 1);
        double encode = Stopwatch.GetElapsedTime(e).TotalSeconds;
        if (!print) return;
        Console.WriteLine(reading);
        Console.WriteLine($"  compose {compose * 1000,7:0} ms");
        for (int i = 0; i < parts.Length; i++)
            Console.WriteLine($"  {parts[i].Part.Role,-8} {parts[i].Part.Instrument,-20} {parts[i].Part.Notes.Count,5} notes {partTimes[i] * 1000,7:0} ms");
        Console.WriteLine($"  mix bus  {busTime * 1000,7:0} ms");
        Console.WriteLine($"  master   {master * 1000,7:0} ms (loudness, compressor, limiter)");
        Console.WriteLine($"  encode   {encode * 1000,7:0} ms (dither, 16-bit; on two cores)");
        Console.WriteLine($"  total    {clock.Elapsed.TotalSeconds * 1000,7:0} ms on one thread");
    }
}
