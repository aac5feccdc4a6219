using System;
using System.IO;
using System.Text;

namespace Cassette.Download
{
    /// <summary>
    /// The temporary file a download is written to, beside its destination: ".{name}.{8 hex}.partial". The name part is
    /// shortened so that the whole fits in 255 UTF-8 bytes, the name limit of ext4, XFS, APFS and NTFS (which counts
    /// UTF-16 units, never more than UTF-8 bytes), so any destination name the file system allows gets a temporary
    /// name it allows too. A partial file is locked (FileShare.None, an flock on Unix) while its download runs; one that
    /// is not locked was left by a pwsh that was killed, and the next save to the same destination removes it.
    /// </summary>
    internal static class PartialFile
    {
        private const int MaxNameBytes = 255;
        private const string Suffix = ".partial";
        // "." + name + "." + 8 hex digits + ".partial"
        private const int NameBudget = MaxNameBytes - 1 - 1 - 8 - 8;

        public static string NewPath(string destination) =>
            Path.Combine(FolderOf(destination), Prefix(destination) + Guid.NewGuid().ToString("N").Substring(0, 8) + Suffix);

        /// <summary>Removes the partial files of this destination that no live download holds; returns how many.</summary>
        public static int RemoveStale(string destination)
        {
            string folder = FolderOf(destination);
            string prefix = Prefix(destination);
            int removed = 0;
            string[] candidates;
            try
            {
                candidates = Directory.GetFiles(folder, "*" + Suffix);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return 0;
            }
            foreach (string path in candidates)
            {
                string name = Path.GetFileName(path);
                if (!IsOurs(name, prefix)) continue;
                try
                {
                    // Held while deleting, so a download that starts now cannot be caught between the check and the delete.
                    using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                        File.Delete(path);
                    removed++;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Locked by a download still running (here or in another pwsh), or not ours to remove: left alone.
                }
            }
            return removed;
        }

        private static bool IsOurs(string name, string prefix)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal)) return false;
            string random = name.Substring(prefix.Length, name.Length - prefix.Length - Suffix.Length);
            if (random.Length != 8) return false;
            foreach (char c in random)
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            return true;
        }

        private static string FolderOf(string destination) => Path.GetDirectoryName(destination) is string folder && folder.Length > 0 ? folder : ".";

        private static string Prefix(string destination) => "." + Fit(Path.GetFileName(destination)) + ".";

        /// <summary>The name cut to the budget in UTF-8 bytes, never in the middle of a surrogate pair.</summary>
        private static string Fit(string name)
        {
            if (Encoding.UTF8.GetByteCount(name) <= NameBudget) return name;
            int bytes = 0;
            int end = 0;
            while (end < name.Length)
            {
                int width = char.IsHighSurrogate(name[end]) && end + 1 < name.Length ? 2 : 1;
                int size = Encoding.UTF8.GetByteCount(name.Substring(end, width));
                if (bytes + size > NameBudget) break;
                bytes += size;
                end += width;
            }
            return name.Substring(0, end);
        }
    }
}
