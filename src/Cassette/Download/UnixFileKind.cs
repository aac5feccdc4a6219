using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Cassette.Download
{
    /// <summary>What a path names, without following a symlink at its end.</summary>
    internal enum FileKind
    {
        Missing,
        Regular,
        Directory,
        SymbolicLink,
        /// <summary>A FIFO, socket, or character or block device: writing or renaming onto it is never a save.</summary>
        Special,
    }

    /// <summary>
    /// lstat through the .NET runtime's own native shim (libSystem.Native ships with every .NET on Unix; its FileStatus
    /// begins with Flags and Mode, and Mode carries the POSIX S_IFMT bits). .NET has no managed way to tell a FIFO or a
    /// device from a regular file, and a FIFO cannot even be opened to look at without blocking.
    /// </summary>
    internal static class UnixFileKind
    {
        private const int TypeMask = 0xF000;
        private const int Fifo = 0x1000, CharacterDevice = 0x2000, DirectoryType = 0x4000, BlockDevice = 0x6000, RegularType = 0x8000, Link = 0xA000, Socket = 0xC000;

        // Generously larger than the runtime's FileStatus, of which only the first two fields are read.
        [StructLayout(LayoutKind.Sequential, Size = 512)]
        private struct FileStatus
        {
            public int Flags;
            public int Mode;
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", CharSet = CharSet.Ansi, SetLastError = true)]
        private static extern int LStat(string path, out FileStatus status);

        public static FileKind Of(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return Managed(path);
            try
            {
                if (LStat(path, out var status) != 0) return FileKind.Missing;
                return (status.Mode & TypeMask) switch
                {
                    RegularType => FileKind.Regular,
                    DirectoryType => FileKind.Directory,
                    Link => FileKind.SymbolicLink,
                    Fifo or CharacterDevice or BlockDevice or Socket => FileKind.Special,
                    _ => FileKind.Special,
                };
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                // A runtime without the shim (Mono, a future .NET): fall back to what managed code can see.
                return Managed(path);
            }
        }

        private static FileKind Managed(string path)
        {
            if (Directory.Exists(path)) return FileKind.Directory;
            if (!File.Exists(path)) return FileKind.Missing;
            return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0 ? FileKind.SymbolicLink : FileKind.Regular;
        }
    }
}
