namespace Cassette.LocalEngine.Storage;

/// <summary>
/// Tells a write that failed because the machine ran out of disk space, disk quota or file handles from the engine's
/// own bugs. Such a runner failure says nothing about the engine's code, so its log line says what to free instead.
/// </summary>
public static class StorageExhaustion
{
    // On Unix .NET puts the errno in an IOException's HResult; on Windows, the Win32 error as an HRESULT.
    private static readonly HashSet<int> Codes =
    [
        28, // ENOSPC (Linux, macOS)
        122, // EDQUOT (Linux)
        69, // EDQUOT (macOS)
        24, // EMFILE: this process's file handles
        23, // ENFILE: the system's file handles
        unchecked((int)0x80070070), // ERROR_DISK_FULL
        unchecked((int)0x80070027), // ERROR_HANDLE_DISK_FULL
        unchecked((int)0x80070004), // ERROR_TOO_MANY_OPEN_FILES
    ];

    private static readonly HashSet<int> HandleCodes = [24, 23, unchecked((int)0x80070004)];

    /// <summary>
    /// True when the exception, or one it wraps, is an I/O error of a full disk or of exhausted file handles, or an
    /// OutOfMemoryException while the process has no file handle left: on Linux .NET needs one to start a thread, and
    /// reports the failure as out of memory.
    /// </summary>
    public static bool Is(Exception exception) => Is(exception, ProcessHandles.AreExhausted);

    /// <summary>The same, with the question "is the handle table full now?" given (tests answer it).</summary>
    public static bool Is(Exception exception, Func<bool> handlesExhausted)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is IOException io && Codes.Contains(io.HResult)) return true;
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(inner => Is(inner, handlesExhausted))) return true;
            if (current is OutOfMemoryException && handlesExhausted()) return true;
        }
        return false;
    }

    /// <summary>True for EMFILE and ENFILE (and Windows' ERROR_TOO_MANY_OPEN_FILES): no file handle left.</summary>
    public static bool IsOutOfHandles(IOException exception) => HandleCodes.Contains(exception.HResult);
}
