namespace Cassette.LocalEngine.Storage;

/// <summary>Generated audio kept on disk, one file per request, served by /files/{id}/{name}.</summary>
public sealed class FileStore : IDisposable
{
    private readonly bool _ownsFolder;

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
    }

    public string Folder { get; }

    /// <summary>The path a request's audio lives at; ids are engine-made GUIDs, so they are safe file names.</summary>
    public string PathFor(string requestId) => Path.Combine(Folder, requestId + ".wav");

    public void Delete(string requestId)
    {
        try { File.Delete(PathFor(requestId)); }
        catch (IOException) { /* a download still holds it open; retention sweeps again */ }
    }

    public void Dispose()
    {
        if (!_ownsFolder) return;
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
