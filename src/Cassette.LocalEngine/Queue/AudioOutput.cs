namespace Cassette.LocalEngine.Queue;

/// <summary>The file a successful request produced; its url is built per response from the address the client used.</summary>
public sealed record AudioOutput(string FileName, long FileSize);
