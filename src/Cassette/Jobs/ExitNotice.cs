using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Cassette.Jobs
{
    /// <summary>
    /// What happens to running generations when pwsh exits, decided here: the requests already submitted are left
    /// running. They are paid for and in the journal, and their results can still be collected; cancelling them on the
    /// way out would throw away what was bought and hold up the exit by a round trip per request. What pwsh can do is
    /// say so, on stderr (the host is gone by then): which requests are left, the command that collects them, which
    /// prompts were never submitted, and which may or may not have been (their submission was on the wire).
    /// A pwsh that is killed outright says nothing; the journal still lists its requests.
    /// </summary>
    internal static class ExitNotice
    {
        private static readonly object Gate = new object();
        private static readonly List<WeakReference<CassetteGenerationJob>> Jobs = new List<WeakReference<CassetteGenerationJob>>();
        private static bool _hooked;

        public static void Track(CassetteGenerationJob job)
        {
            lock (Gate)
            {
                Jobs.RemoveAll(w => !w.TryGetTarget(out _));
                Jobs.Add(new WeakReference<CassetteGenerationJob>(job));
                if (_hooked) return;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Say(Console.Error);
                _hooked = true;
            }
        }

        /// <summary>The notice for every job with unfinished children; nothing when all are done.</summary>
        internal static void Say(System.IO.TextWriter writer)
        {
            try
            {
                CassetteGenerationJob[] jobs;
                lock (Gate) jobs = Jobs.Select(w => w.TryGetTarget(out var job) ? job : null).Where(j => j != null).ToArray()!;
                foreach (var job in jobs)
                {
                    string? text = Describe(job);
                    if (text != null) writer.WriteLine(text);
                }
                writer.Flush();
            }
            catch (Exception)
            {
                // The process is going away; a notice that cannot be written must not turn the exit into a crash.
            }
        }

        internal static string? Describe(CassetteGenerationJob job)
        {
            var running = new List<string>();
            var unsure = new List<string>();
            var waiting = new List<string>();
            foreach (var child in job.Children.Where(c => !c.IsFinished))
            {
                switch (child.FailureTarget)
                {
                    case CassetteRequest request: running.Add(request.RequestId); break;
                    case string prompt when child.JobStateInfo.State == JobState.NotStarted: waiting.Add(Quote(prompt)); break;
                    case string prompt: unsure.Add(Quote(prompt)); break;
                }
            }
            if (running.Count + unsure.Count + waiting.Count == 0) return null;
            var text = new System.Text.StringBuilder();
            text.Append($"WARNING: Cassette: PowerShell is exiting while job '{job.Name}' (Id {job.Id}) still runs.");
            if (running.Count > 0)
                text.Append($" Its requests {string.Join(", ", running)} keep running on the queue (they are paid for) and stay in the journal; " +
                    "collect them later with: Get-CassetteJob -Status InQueue, InProgress | Get-CassetteJob -Wait | Save-CassetteAudio");
            if (unsure.Count > 0)
                text.Append($" The submission of {string.Join(", ", unsure)} was under way: check the journal (Get-CassetteJob) and your fal dashboard before submitting it again.");
            if (waiting.Count > 0)
                text.Append($" Never submitted: {string.Join(", ", waiting)}.");
            return text.ToString();
        }

        private static string Quote(string prompt) => "'" + (prompt.Length <= 60 ? prompt : prompt.Substring(0, 57) + "...") + "'";
    }
}
