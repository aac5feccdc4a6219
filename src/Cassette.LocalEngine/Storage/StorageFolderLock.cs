namespace Cassette.LocalEngine.Storage;

/// <summary>
/// One engine per --StorageFolder. An engine starting on a folder removes the partial renders it finds there
/// (RequestIndex); a second engine on a folder still in use would so delete the first one's renders in flight, which
/// then fail with runner_server_error when their file is moved into place. The lock is an open file that no one else
/// may open (an advisory lock on Unix, a share lock on Windows), so the system releases it even when the engine is
/// killed.
/// </summary>
public sealed class StorageFolderLock : IDisposable
{
    public const string FileName = ".cassette-engine.lock";

    /// <summary>A killed engine's lock goes with its process, which may take a moment to end: a restart waits that long.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly FileStream _file;

    private StorageFolderLock(FileStream file) => _file = file;

    /// <summary>Takes the folder's lock, waiting up to <paramref name="wait"/> for an engine that is ending to let it go.</summary>
    /// <exception cref="InvalidOperationException">Another engine still uses the folder.</exception>
    public static StorageFolderLock Take(string folder, TimeSpan wait)
    {
        string path = Path.Combine(folder, FileName);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try { return new StorageFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)); }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // There is nothing to wait on for another process's lock: try again shortly.
                Thread.Sleep(100);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException(
                    $"--StorageFolder '{folder}' is in use by another running engine; give each engine a folder of its own.", ex);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
