using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Cassette.Cmdlets
{
    /// <summary>
    /// Loads the module's table and list views (Cassette.Format.ps1xml) into a runspace the first time one of its cmdlets
    /// runs there, instead of through the manifest's FormatsToProcess at import. Adding any format file makes PowerShell
    /// rebuild the runspace's whole format database, built-in views included, and at import that rebuild was most of
    /// what Import-Module Cassette cost over a bare pwsh (issue 16, goal 5). Objects only come from the cmdlets, so
    /// loading the views before the first cmdlet writes anything formats them as before.
    /// </summary>
    internal static class FormatViews
    {
        internal const string FileName = "Cassette.Format.ps1xml";

        /// <summary>
        /// The module folder each runspace was given the views from (or found to have them), so a runspace pays for the
        /// rebuild once, also when loading failed (a restricted session without Update-FormatData): formatting then falls
        /// back to PowerShell's defaults rather than retrying on every command. Keyed by folder, not by file, so the check
        /// on every command after the first touches no disk.
        /// </summary>
        private static readonly ConditionalWeakTable<Runspace, string> Attempted = new ConditionalWeakTable<Runspace, string>();

        /// <summary>Makes sure the runspace running <paramref name="cmdlet"/> has the views; call on the pipeline thread.</summary>
        internal static void EnsureLoaded(PSCmdlet cmdlet)
        {
            var runspace = Runspace.DefaultRunspace;
            var folder = ModuleFolder(cmdlet);
            if (runspace == null || folder == null) return;
            lock (Attempted)
            {
                if (Attempted.TryGetValue(runspace, out var attempted) && string.Equals(attempted, folder, StringComparison.OrdinalIgnoreCase)) return;
                Attempted.Remove(runspace);
                Attempted.Add(runspace, folder);
            }
            var path = Path.Combine(folder, FileName);
            if (!File.Exists(path)) return;
            var session = runspace.InitialSessionState;
            if (session != null && (session.DisableFormatUpdates || HasFile(session, path))) return;
            Load(cmdlet, path);
        }

        /// <summary>The folder of the module that holds the cmdlet (its manifest's, or the dll's when imported alone).</summary>
        private static string? ModuleFolder(PSCmdlet cmdlet)
        {
            var folder = cmdlet.MyInvocation.MyCommand?.Module?.ModuleBase;
            if (string.IsNullOrEmpty(folder)) folder = Path.GetDirectoryName(typeof(FormatViews).Assembly.Location);
            return string.IsNullOrEmpty(folder) ? null : folder;
        }

        private static bool HasFile(InitialSessionState session, string path)
        {
            foreach (var entry in session.Formats)
            {
                if (string.Equals(entry.FileName, path, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }

        private static void Load(PSCmdlet cmdlet, string path)
        {
            // Update-FormatData is the public way to add views to a running session (the same on Windows PowerShell
            // 5.1); -WhatIf:$false and -Confirm:$false so a -WhatIf given to the cmdlet or $WhatIfPreference does not
            // leave the views out.
            try
            {
                using (var shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
                {
                    shell.AddCommand("Microsoft.PowerShell.Utility\\Update-FormatData")
                        .AddParameter("AppendPath", path)
                        .AddParameter("WhatIf", false)
                        .AddParameter("Confirm", false);
                    shell.Invoke();
                    foreach (var error in shell.Streams.Error)
                    {
                        cmdlet.WriteVerbose($"The table and list views in '{path}' were not loaded, so Cassette's objects show with PowerShell's default formatting: {error}");
                    }
                }
            }
            catch (RuntimeException e)
            {
                cmdlet.WriteVerbose($"The table and list views in '{path}' were not loaded, so Cassette's objects show with PowerShell's default formatting: {e.Message}");
            }
        }
    }
}
