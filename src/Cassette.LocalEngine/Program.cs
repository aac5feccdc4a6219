using Cassette.LocalEngine;
using Cassette.LocalEngine.Storage;

if (CommandLineHelp.IsRequested(args))
{
    Console.Out.Write(CommandLineHelp.Text());
    return 0;
}

// On Linux .NET needs a file handle to start a thread. With none left, the thread pool's OutOfMemoryException ends the
// process with a bare "Out of memory." (issue 18): say what really ran out, synchronously, as the process is ending.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    if (e.ExceptionObject is OutOfMemoryException && ProcessHandles.AreExhausted())
        Console.Error.WriteLine(ProcessHandles.FatalExhaustionMessage());
};

WebApplication app;
try
{
    app = EngineHost.Build(args);
}
catch (Exception ex) when (ex is ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
{
    // A bad option (an invalid --Faults rule, an unparsable number) is the user's to fix: say so, without a stack trace.
    Console.Error.WriteLine($"Cassette local engine: invalid options: {ex.Message}");
    return 2;
}
await app.StartAsync();
// Scripts and tests start the engine on port 0 and read the real address from this line. It ends with '/', as
// -QueueUrl is written in the README, so it can be pasted as it is.
foreach (var address in app.Urls)
    Console.WriteLine($"Cassette local engine listening on {address.TrimEnd('/')}/");
await app.WaitForShutdownAsync();
return 0;
