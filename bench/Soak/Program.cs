using System.Diagnostics;
using Cassette.Bench.Soak;

// A randomized soak of the synthesizer and the engine's runners, run on demand (not in CI): see bench/README.md.
// Exit code 0 when no render failed, 1 when any did, 2 for bad options.
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (options.ReplayPrompt is not null)
{
    // One case, as a failure printed it.
    var replay = new SoakReport();
    DirectSoak.RenderOne(new SoakCase(0, options.ReplayPrompt, options.ReplaySeed, options.ReplayDuration), null, replay);
    Console.WriteLine(replay.FailedCount == 0 ? "The render completed." : "The render failed.");
    return replay.FailedCount == 0 ? 0 : 1;
}

// Full CPU load: busy threads in this process on top of whatever else the machine runs.
using var stopBusy = new CancellationTokenSource();
var busy = Enumerable.Range(0, options.Busy).Select(_ => new Thread(() =>
{
    long spins = 0;
    while (!stopBusy.IsCancellationRequested) spins++;
    GC.KeepAlive(spins);
}) { IsBackground = true, Priority = ThreadPriority.Normal, Name = "soak busy loop" }).ToList();
busy.ForEach(t => t.Start());

var cases = new CaseGenerator(options.Seed, options.MinSeconds, options.MaxSeconds);
Console.WriteLine($"Soak: mode {options.Mode}, {options.Renders} renders, {options.Parallel} at once, {options.Busy} busy threads, " +
    $"{options.CancelFraction:P0} cancelled, {options.MinSeconds}..{options.MaxSeconds} s, case seed {options.Seed}, " +
    $"{CaseGenerator.VocabularySize} prompt phrases" + (options.Mode == "engine" ? $", {options.Workers} workers, shutdown every {options.ShutdownEvery}" : ""));
var watch = Stopwatch.StartNew();
var report = options.Mode == "engine" ? await EngineSoak.RunAsync(options, cases) : DirectSoak.Run(options, cases);
stopBusy.Cancel();
busy.ForEach(t => t.Join());

Console.WriteLine(report.Summary(watch.Elapsed));
foreach (string failure in report.Failures) Console.WriteLine(failure);
return report.FailedCount == 0 ? 0 : 1;
