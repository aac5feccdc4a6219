using System;
using System.Diagnostics;

namespace Cassette.Download
{
    /// <summary>
    /// The minimum pace of a download body. The idle deadline (-ReadTimeoutSec) alone is reset by every byte, so a host
    /// that trickles a byte a second holds a download for ever; this rule fails an attempt that brings less than
    /// MinBytesPerSecond on average over any window of -ReadTimeoutSec. 8 KiB/s (64 kbit/s) is far below any link that
    /// can fetch a track in reasonable time, and the slowest it allows still ends a 64 MB body within about 2 hours;
    /// -TimeoutSec bounds the whole save when that is too long.
    /// </summary>
    internal sealed class ThroughputGuard
    {
        public const int MinBytesPerSecond = 8 * 1024;

        private readonly TimeSpan _window;
        private readonly Stopwatch _clock = new Stopwatch();
        private long _bytesInWindow;

        public ThroughputGuard(TimeSpan window) => _window = window;

        /// <summary>Starts a new window: at the start of each attempt, once its headers have arrived.</summary>
        public void Restart()
        {
            _bytesInWindow = 0;
            _clock.Restart();
        }

        /// <summary>Counts bytes that arrived; throws DownloadInterruption when a finished window was too slow.</summary>
        public void Add(int bytes)
        {
            _bytesInWindow += bytes;
            var elapsed = _clock.Elapsed;
            if (elapsed < _window) return;
            double rate = _bytesInWindow / elapsed.TotalSeconds;
            if (rate < MinBytesPerSecond)
                throw DownloadInterruption.TooSlow(_bytesInWindow, elapsed, MinBytesPerSecond);
            Restart();
        }
    }
}
