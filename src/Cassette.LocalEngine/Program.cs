using Cassette.LocalEngine;

var app = EngineHost.Build(args);
await app.StartAsync();
// Scripts and tests start the engine on port 0 and read the real address from this line.
foreach (var address in app.Urls)
    Console.WriteLine($"Cassette local engine listening on {address}");
await app.WaitForShutdownAsync();
