using Cassette.LocalEngine;

if (CommandLineHelp.IsRequested(args))
{
    Console.Out.Write(CommandLineHelp.Text());
    return 0;
}

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
// Scripts and tests start the engine on port 0 and read the real address from this line.
foreach (var address in app.Urls)
    Console.WriteLine($"Cassette local engine listening on {address}");
await app.WaitForShutdownAsync();
return 0;
