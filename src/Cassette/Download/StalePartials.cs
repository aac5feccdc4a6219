using System;
using System.IO;

namespace Cassette.Download
{
    /// <summary>
    /// Removes the temporary files that downloads killed mid-body left beside a destination (AudioDownloader's
    /// ".&lt;name&gt;.&lt;8 hex digits&gt;.partial"). A download in progress holds its file with FileShare.None (an exclusive
    /// flock on Unix), so a file that can be opened exclusively belongs to no live process and is safe to delete; each
    /// download picks a fresh random name, so none can start writing to it in between.
    /// </summary>
    internal static class StalePartials
    {
        public const string Extension = ".partial";
        private const int RandomPartLength = 8;

        public static void Remove(string destination, Action<string>? diagnostics)
        {
            string? folder = Path.GetDirectoryName(destination);
            if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder)) return;
            string prefix = "." + Path.GetFileName(destination) + ".";
            string[] candidates;
            try
            {
                candidates = Directory.GetFiles(folder, "*" + Extension);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return;
            }
            foreach (string path in candidates)
            {
                string name = Path.GetFileName(path);
                if (!IsPartialOf(name, prefix)) continue;
                try
                {
                    using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                    File.Delete(path);
                    diagnostics?.Invoke($"Removed {name}, left by a download that did not finish.");
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Held by a download that is still running (or not ours to delete): leave it.
                }
            }
        }

        private static bool IsPartialOf(string name, string prefix)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(Extension, StringComparison.Ordinal)) return false;
            string middle = name.Substring(prefix.Length, name.Length - prefix.Length - Extension.Length);
            if (middle.Length != RandomPartLength) return false;
            foreach (char c in middle)
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            return true;
        }
    }
}
