namespace Cassette.LocalEngine.Storage;

/// <summary>Generated audio and the request index, kept on disk in one folder; files are served by /files/{id}/{name}.</summary>
public sealed class FileStore : IDisposable
{
    public const string AudioExtension = ".wav";
    public const string PartialExtension = ".partial";
    public const string IndexExtension = ".json";

    private readonly bool _ownsFolder;
    private readonly StorageFolderLock? _lock;

    public FileStore(Microsoft.Extensions.Options.IOptions<EngineOptions> optionsAccessor)
    {
        var options = optionsAccessor.Value;
        if (string.IsNullOrWhiteSpace(options.StorageFolder))
        {
            Folder = Path.Combine(Path.GetTempPath(), "cassette-engine-" + Guid.NewGuid().ToString("N"));
            _ownsFolder = true;
        }
        else
        {
            Folder = Path.GetFullPath(options.StorageFolder);
        }
        Directory.CreateDirectory(Folder);
        // A temporary folder is this engine's alone by its name; a chosen one may be shared by mistake.
        if (!_ownsFolder) _lock = StorageFolderLock.Take(Folder, StorageFolderLock.DefaultWait);
    }

    public string Folder { get; }

    /// <summary>True for a temporary folder that is removed on shutdown, so nothing outlives the engine.</summary>
    public bool IsTemporary => _ownsFolder;

    /// <summary>The path a request's audio lives at; ids are engine-made GUIDs, so they are safe file names.</summary>
    public string PathFor(string requestId) => Path.Combine(Folder, requestId + AudioExtension);

    public string PartialPathFor(string requestId) => PathFor(requestId) + PartialExtension;

    public string IndexPathFor(string requestId) => Path.Combine(Folder, requestId + IndexExtension);

    /// <summary>Removes everything kept for a request.</summary>
    public void Delete(string requestId) => DeletePaths(PartialPathFor(requestId), PathFor(requestId), IndexPathFor(requestId));

    /// <summary>Removes a request's audio but keeps its index entry: its outcome (an error) is still to be served.</summary>
    public void DeleteAudio(string requestId) => DeletePaths(PartialPathFor(requestId), PathFor(requestId));

    private static void DeletePaths(params string[] paths)
    {
        foreach (var path in paths)
        {
            try { File.Delete(path); }
            catch (IOException) { /* a download still holds it open on Windows; the retention sweep tries again */ }
            catch (UnauthorizedAccessException) { }
        }
    }

    public void Dispose()
    {
        _lock?.Dispose();
        if (!_ownsFolder) return;
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
