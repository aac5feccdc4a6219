using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Cassette.Journal;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// Tab completion for -RequestId: the ids in the journal (the one -JournalPath names, else the usual one), newest
    /// first, each with its status and prompt as the tooltip. A journal that cannot be read completes nothing.
    /// </summary>
    public sealed class RequestIdCompleter : IArgumentCompleter
    {
        private const int MaxResults = 100;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            IReadOnlyList<CassetteRequest> known;
            try
            {
                string? path = fakeBoundParameters?["JournalPath"] as string;
                known = RequestJournal.Resolve(string.IsNullOrWhiteSpace(path) ? null : ResolveInSession(path!)).ReadAll();
            }
            catch (Exception ex) when (ex is CassetteException || ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is ArgumentException ||
                ex is NotSupportedException || ex is RuntimeException)
            {
                return Array.Empty<CompletionResult>();
            }
            return known
                .Where(job => job.RequestId.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Take(MaxResults)
                .Select(job => new CompletionResult(job.RequestId, job.RequestId, CompletionResultType.ParameterValue, Describe(job)))
                .ToArray();
        }

        /// <summary>
        /// -JournalPath as the cmdlet will resolve it (CassetteQueueCmdlet.ResolveJournal): against PowerShell's current
        /// location and drives (Set-Location, ~, TestDrive:), not the process folder, which Set-Location never moves.
        /// A completer has no SessionState of its own, so it asks the runspace it runs on.
        /// </summary>
        private static string ResolveInSession(string path)
        {
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddScript("param($path) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($path)").AddArgument(path);
            var resolved = shell.Invoke<string>();
            if (shell.HadErrors || resolved.Count != 1 || string.IsNullOrEmpty(resolved[0]))
                throw new ArgumentException($"-JournalPath '{path}' does not resolve to one file system path.", nameof(path));
            return resolved[0];
        }

        private static string Describe(CassetteRequest job) =>
            job.Prompt is null ? job.Status : $"{job.Status}: {job.Prompt}";
    }
}
