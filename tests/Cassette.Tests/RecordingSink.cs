using Cassette.Lifecycle;

namespace Cassette.Tests;

/// <summary>The message sink the unit tests hand the lifecycle: it keeps what was reported, from any thread, for asserts.</summary>
internal sealed class RecordingSink : IMessageSink
{
    private readonly List<string> _verbose = new(), _warnings = new();
    private readonly List<CassetteLogEntry> _information = new();

    public IReadOnlyList<string> Verbose => Snapshot(_verbose);
    public IReadOnlyList<CassetteLogEntry> Information => Snapshot(_information);
    public IReadOnlyList<string> Warnings => Snapshot(_warnings);

    public void Progress(ActivityProgress progress) { }
    void IMessageSink.Verbose(string message) => Add(_verbose, message);
    void IMessageSink.Information(CassetteLogEntry entry) => Add(_information, entry);
    void IMessageSink.Warning(string message) => Add(_warnings, message);

    private static void Add<T>(List<T> list, T item)
    {
        lock (list) list.Add(item);
    }

    private static T[] Snapshot<T>(List<T> list)
    {
        lock (list) return list.ToArray();
    }
}
