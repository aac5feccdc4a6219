namespace Cassette.LocalEngine.Storage;

/// <summary>
/// The engine process's file-handle table (Linux: `ulimit -n`). On Linux .NET needs a handle to start a thread, so a
/// full table does not only fail file writes: a render thread fails to start with an OutOfMemoryException, and when the
/// thread pool itself cannot add a worker the runtime aborts the whole process with "Out of memory." (issue 18). The
/// engine holds at most a third of the handles free at start-up as connections, so connections alone (idle, or each with
/// a file being downloaded) cannot fill the table, and names the table when it is full anyway.
/// </summary>
public static class ProcessHandles
{
    private const string LimitsFile = "/proc/self/limits";
    private const string OpenHandlesFolder = "/proc/self/fd";

    /// <summary>
    /// How many connections the server may hold at once: a third of the handles still free at start-up. A download
    /// holds two (its connection and its file), so every connection has room for a file and the last third is left for
    /// renders, index writes, threads and assemblies loaded later. Null (no cap) where the limit cannot be read (not
    /// Linux) or is effectively unlimited.
    /// </summary>
    public static long? ConnectionCap()
    {
        if (SoftLimit() is not { } limit || limit >= int.MaxValue) return null;
        int open = CountOpen() ?? 0;
        return Math.Max(1, (limit - open) / 3);
    }

    /// <summary>The soft limit on open file handles (`ulimit -n`), or null where it cannot be read.</summary>
    public static long? SoftLimit()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            foreach (string line in File.ReadLines(LimitsFile))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 0 && long.TryParse(fields[0], out long soft)) return soft;
                return null; // "unlimited"
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>How many handles the process has open now, or null where that cannot be counted.</summary>
    public static int? CountOpen()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try { return Directory.GetFileSystemEntries(OpenHandlesFolder).Length; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// True when the process (or the system) has no file handle left: opening the null device fails with EMFILE or
    /// ENFILE. Asked after a failure whose exception does not say so itself (a thread that could not start).
    /// </summary>
    public static bool AreExhausted()
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            using var probe = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read);
            return false;
        }
        catch (IOException ex) when (StorageExhaustion.IsOutOfHandles(ex))
        {
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>The engine's last words when the runtime aborts it for want of a thread, which a full handle table causes.</summary>
    public static string FatalExhaustionMessage() =>
        // With no handle left even /proc/self/limits cannot be read, so the limit is named only when it can be.
        "Cassette local engine: stopping: the process is out of file handles (EMFILE" +
        (SoftLimit() is { } limit ? $"; `ulimit -n` is {limit}" : "") +
        "), so .NET could not start a thread and reports it as \"Out of memory.\". " +
        "This is the machine's limit, not the engine's bug: raise `ulimit -n`, or hold fewer connections and downloads open.";
}
