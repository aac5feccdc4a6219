using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Cassette.Journal
{
    /// <summary>
    /// Appends to one journal file for every RequestJournal of this process that names it, in groups: lines that arrive
    /// while a write is under way go out together in the next one, with a single fsync when any of them needs it. Forty
    /// submissions at once (-ThrottleLimit 40) then wait for one or two fsyncs instead of forty in a row, and an outcome
    /// line, which needs none, no longer queues behind other requests' fsyncs. The first waiting caller writes for the
    /// group (no thread of its own); each caller returns only once its own line is written (and, if it asked, on disk).
    /// </summary>
    internal sealed class GroupCommit
    {
        private static readonly ConcurrentDictionary<string, GroupCommit> ByPath = new ConcurrentDictionary<string, GroupCommit>(StringComparer.Ordinal);

        private readonly object _gate = new object();
        private List<Pending> _waiting = new List<Pending>();
        private bool _writing;

        /// <summary>Lines waiting for the write under way to end (for tests).</summary>
        internal int WaitingCount
        {
            get
            {
                lock (_gate) return _waiting.Count;
            }
        }

        public static GroupCommit For(string path) => ByPath.GetOrAdd(path, _ => new GroupCommit());

        /// <summary>Writes the lines of one group in order; asked to flush to the disk when any line of the group needs it.</summary>
        public delegate void WriteGroup(IReadOnlyList<byte[]> lines, bool flushToDisk);

        /// <summary>Appends one line (with its '\n'); throws what the write of its group threw.</summary>
        public void Append(byte[] line, bool flushToDisk, WriteGroup write)
        {
            var mine = new Pending(line, flushToDisk);
            List<Pending> group;
            lock (_gate)
            {
                _waiting.Add(mine);
                while (_writing && !mine.Done) Monitor.Wait(_gate);
                if (mine.Done)
                {
                    ThrowIfFailed(mine, sharedWithOthers: true);
                    return;
                }
                _writing = true;
                group = _waiting;
                _waiting = new List<Pending>();
            }

            Exception? failure = null;
            try
            {
                var lines = new byte[group.Count][];
                bool durable = false;
                for (int i = 0; i < group.Count; i++)
                {
                    lines[i] = group[i].Line;
                    durable |= group[i].FlushToDisk;
                }
                write(lines, durable);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                lock (_gate)
                {
                    foreach (var pending in group)
                    {
                        pending.Failure = failure;
                        pending.Done = true;
                    }
                    _writing = false;
                    Monitor.PulseAll(_gate);
                }
            }
            ThrowIfFailed(mine, sharedWithOthers: false);
        }

        private static void ThrowIfFailed(Pending pending, bool sharedWithOthers)
        {
            if (pending.Failure is null) return;
            // The writer rethrows the failure itself; the others get their own exception, as one instance must not be
            // thrown on several threads at once.
            if (sharedWithOthers && pending.Failure is CassetteException failure)
                throw new CassetteException(failure.Error, failure.Message, null, failure.InnerException ?? failure);
            ExceptionDispatchInfo.Capture(pending.Failure).Throw();
        }

        private sealed class Pending
        {
            public Pending(byte[] line, bool flushToDisk)
            {
                Line = line;
                FlushToDisk = flushToDisk;
            }

            public byte[] Line { get; }
            public bool FlushToDisk { get; }
            public bool Done { get; set; }
            public Exception? Failure { get; set; }
        }
    }
}
