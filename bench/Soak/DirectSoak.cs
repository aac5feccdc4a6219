using Cassette.Synth;

namespace Cassette.Bench.Soak;

/// <summary>
/// Many renders in parallel straight through the synthesizer (no HTTP), some cancelled part way, each checked for
/// the exact WAV length. A render that throws anything but the cancellation it was asked for is a failure.
/// </summary>
public static class DirectSoak
{
    public static SoakReport Run(SoakOptions options, CaseGenerator cases)
    {
        var report = new SoakReport();
        int next = -1;
        var threads = Enumerable.Range(0, options.Parallel).Select(_ => new Thread(() =>
        {
            var random = new Random(options.Seed ^ Environment.CurrentManagedThreadId);
            while (true)
            {
                int index = Interlocked.Increment(ref next);
                if (index >= options.Renders) return;
                var soakCase = cases.Next(index);
                bool cancel = random.NextDouble() < options.CancelFraction;
                RenderOne(soakCase, cancel ? TimeSpan.FromMilliseconds(random.Next(0, 40 * soakCase.DurationSeconds)) : null, report);
            }
        }) { IsBackground = true, Name = "soak render" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return report;
    }

    /// <summary>One render; <paramref name="cancelAfter"/> cancels it part way, as a client's cancel or a shutdown does.</summary>
    public static void RenderOne(SoakCase soakCase, TimeSpan? cancelAfter, SoakReport report)
    {
        using var cancellation = new CancellationTokenSource();
        if (cancelAfter is { } delay) cancellation.CancelAfter(delay);
        var sink = new CountingStream();
        try
        {
            TrackSynthesizer.RenderWav(new SynthRequest(soakCase.Prompt, soakCase.DurationSeconds, soakCase.Seed), sink, cancellation.Token);
            long expected = 44 + (long)soakCase.DurationSeconds * TrackSynthesizer.SampleRate * TrackSynthesizer.Channels * 2;
            if (sink.Length != expected)
                report.Fail(soakCase, $"wrote {sink.Length} bytes, expected {expected}");
            else
                report.Completed();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            report.Cancelled();
        }
        catch (Exception ex)
        {
            report.Fail(soakCase, (cancellation.IsCancellationRequested ? "(while cancelled) " : "") + ex);
        }
    }

    /// <summary>Counts what the renderer writes and throws it away, so memory and disk stay out of the picture.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => _length + offset,
        };
        public override void SetLength(long value) => _length = value;
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Position += buffer.Length;
            _length = Math.Max(_length, Position);
        }
    }
}
