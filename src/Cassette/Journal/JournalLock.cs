using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Cassette.Journal
{
    /// <summary>
    /// Tells lock contention (another writer holds the journal) from every other failure of opening or writing it.
    /// FileShare.None is an flock on Unix, which .NET reports as an IOException carrying EWOULDBLOCK as its HResult
    /// (11 on Linux, 35 on macOS and the BSDs); on Windows it is a sharing or lock violation (0x80070020, 0x80070021).
    /// ENOSPC, EROFS, EIO and the rest carry their own numbers and are not contention.
    /// </summary>
    internal static class JournalLock
    {
        private const int SharingViolation = unchecked((int)0x80070020);
        private const int LockViolation = unchecked((int)0x80070021);
        private const int WouldBlockLinux = 11;
        private const int WouldBlockBsd = 35;

        public static bool IsHeldByAnother(IOException ex)
        {
            if (ex is FileNotFoundException || ex is DirectoryNotFoundException || ex is PathTooLongException) return false;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return ex.HResult == SharingViolation || ex.HResult == LockViolation;
            int wouldBlock = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? WouldBlockLinux : WouldBlockBsd;
            return ex.HResult == wouldBlock;
        }
    }
}
