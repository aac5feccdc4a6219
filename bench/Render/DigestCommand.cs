using System.Security.Cryptography;
using Cassette.Synth;

namespace Cassette.Bench.Render;

/// <summary>
/// digest [--seed N] [--memory] [--prompt TEXT]...: the SHA-256 of the WAV of each prompt at 30 s and 180 s (by default the
/// benchmark's prompts), and the process's peak working set. A speed-up must not change the music: run it before and after, and compare.
/// </summary>
internal static class DigestCommand
{
    public static int Run(string[] args)
    {
        long seed = long.Parse(CommandLine.Option(args, "--seed") ?? "7");
        bool memory = args.Contains("--memory");
        var prompts = new List<string>();
        for (int i = 0; i + 1 < args.Length; i++)
            if (args[i] == "--prompt") prompts.Add(args[i + 1]);
        if (prompts.Count == 0) prompts.AddRange(Benchmark.DefaultPrompts);
        foreach (string prompt in prompts)
            foreach (int seconds in new[] { 30, 180 })
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                using (var sink = new HashingStream(hash))
                    TrackSynthesizer.RenderWav(new SynthRequest(prompt, seconds, seed), sink);
                Console.WriteLine($"{Convert.ToHexStringLower(hash.GetHashAndReset())[..16]} {seconds} {prompt}");
                if (memory) PrintMemory();
            }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        Console.WriteLine($"peak working set: {process.PeakWorkingSet64 / 1048576.0:0} MB; note-cache slabs allocated: {Cassette.Synth.Mixing.SampleArena.SlabsCreated} (2 MB each)");
        return 0;
    }

    /// <summary>
    /// After each render: the working set and its peak, the collector's heap, committed memory and fragmentation, and
    /// bytes allocated so far: what stays between renders (heap) against what the process holds (working set).
    /// </summary>
    private static void PrintMemory()
    {
        var info = GC.GetGCMemoryInfo();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        const double MB = 1048576.0;
        Console.WriteLine($"    working set {process.WorkingSet64 / MB:0} MB (peak {process.PeakWorkingSet64 / MB:0}); heap {info.HeapSizeBytes / MB:0}, " +
                          $"committed {info.TotalCommittedBytes / MB:0}, fragmented {info.FragmentedBytes / MB:0}; allocated {GC.GetTotalAllocatedBytes() / MB:0} MB; slabs {Cassette.Synth.Mixing.SampleArena.SlabsCreated}");
    }

    /// <summary>A write-only stream that feeds a hash, so a 30 MB track is digested without being kept.</summary>
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);
    }
}
