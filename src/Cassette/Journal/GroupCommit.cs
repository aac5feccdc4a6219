using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.Journal
{
    /// <summary>
    /// Appends to one journal file for every RequestJournal of this process that names it, in groups: lines that arrive
    /// while a write is under way go out together in the next one, with a single fsync when any of them needs it. Forty
    /// submissions at once (-ThrottleLimit 40) then wait for one or two fsyncs instead of forty in a row.
    /// A caller that finds no write under way writes its own line's group on its own thread. A caller that finds one
    /// under way only waits: asynchronously with AppendAsync, so forty submissions do not hold forty pool threads (the
    /// pool of a 2-core machine starts with two, and the next requests' work would queue behind them); the group that
    /// gathered meanwhile is then written on a thread of its own. Each caller's task ends only once its own line is
    /// written (and, if it asked, on disk).
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

        /// <summary>Appends one line (with its '\n') and blocks until it is written; throws what the write of its group threw.</summary>
        public void Append(byte[] line, bool flushToDisk, WriteGroup write) => AppendAsync(line, flushToDisk, write).GetAwaiter().GetResult();

        /// <summary>
        /// Appends one line (with its '\n'); the task ends once it is written and fails with what the write of its group
        /// threw. When no write is under way the line is written before this returns, on the caller's thread.
        /// </summary>
        public Task AppendAsync(byte[] line, bool flushToDisk, WriteGroup write)
        {
            var mine = new Pending(line, flushToDisk, write);
            bool lead;
            lock (_gate)
            {
                _waiting.Add(mine);
                lead = !_writing;
                _writing = true;
            }
            if (lead) WriteWaitingGroup();
            return mine.Written.Task;
        }

        /// <summary>
        /// Writes every line waiting now as one group, then hands the lines that arrived meanwhile to a thread of their own
        /// (not a pool thread: the write blocks on the disk), or ends the writing.
        /// </summary>
        private void WriteWaitingGroup()
        {
            List<Pending> group;
            lock (_gate)
            {
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
                // Every writer of one path writes the same way, so the group's first line's writer writes for all.
                group[0].Write(lines, durable);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            bool more;
            lock (_gate)
            {
                more = _waiting.Count > 0;
                if (!more) _writing = false;
            }
            if (more) Task.Factory.StartNew(WriteWaitingGroup, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            for (int i = 0; i < group.Count; i++)
            {
                if (failure is null) group[i].Written.TrySetResult(true);
                else group[i].Written.TrySetException(i == 0 ? failure : OwnCopy(failure));
            }
        }

        /// <summary>One exception instance must not be thrown on several threads at once, so each caller but one gets its own.</summary>
        private static Exception OwnCopy(Exception failure) =>
            failure is CassetteException known ? new CassetteException(known.Error, known.Message, null, known.InnerException ?? known) : failure;

        private sealed class Pending
        {
            public Pending(byte[] line, bool flushToDisk, WriteGroup write)
            {
                Line = line;
                FlushToDisk = flushToDisk;
                Write = write;
            }

            public byte[] Line { get; }
            public bool FlushToDisk { get; }
            public WriteGroup Write { get; }
            /// <summary>Its continuations run on the pool, never inline on the thread that writes the next group.</summary>
            public TaskCompletionSource<bool> Written { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
