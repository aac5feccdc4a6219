using Cassette.LocalEngine.Endpoints;
using Cassette.LocalEngine.Faults;
using Cassette.LocalEngine.Queue;
using Cassette.LocalEngine.Storage;
using Cassette.LocalEngine.Webhooks;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine;

/// <summary>Builds the engine's web application (the program's; tests start the program as a process).</summary>
public static class EngineHost
{
    public const string EnvironmentPrefix = "CASSETTE_ENGINE_";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // CASSETTE_ENGINE_* sit just below the command line, so an explicit option always wins.
        var sources = builder.Configuration.Sources;
        int commandLine = sources.ToList().FindLastIndex(s => s is Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationSource);
        sources.Insert(commandLine < 0 ? sources.Count : commandLine,
            new Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix = EnvironmentPrefix });
        builder.Services.Configure<EngineOptions>(builder.Configuration);
        builder.Services.AddSingleton<RequestQueue>();
        builder.Services.AddSingleton<FileStore>();
        builder.Services.AddSingleton<FaultRegistry>();
        builder.Services.AddSingleton<CallCounter>();
        // The index is restored before the workers start and before the server listens.
        builder.Services.AddHostedService<RequestIndex>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        builder.Services.AddHostedService<GenerationWorkers>();
        builder.Services.AddHostedService<RetentionSweeper>();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Idle connections alone must not fill the handle table: with it full the runtime cannot start a thread and
        // aborts the engine (issue 18). A connection over the cap is closed at once, as a saturated server would.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxConcurrentConnections = ProcessHandles.ConnectionCap());

        var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<EngineOptions>>().Value;
        var faults = app.Services.GetRequiredService<FaultRegistry>();
        // The storage folder is created and locked now, so a folder in use by another engine is reported as a bad option.
        app.Services.GetRequiredService<FileStore>();
        if (!string.IsNullOrWhiteSpace(options.Faults))
            faults.AddAll(options.Faults);

        app.UseRouting();
        app.UseFalRequestId();
        app.UseFalShapedErrors();
        app.UseFalApiKey(options);
        app.UseFaultInjection(faults);
        if (options.EnableFaultInjection)
        {
            app.UseCallCounting(app.Services.GetRequiredService<CallCounter>());
            app.MapFaultControl();
            app.MapCallCounts();
        }
        app.MapFileEndpoints();
        app.MapSubmit();
        app.MapRequestEndpoints();
        app.MapStatusStream();
        // Hosted services stop before this runs, so no worker still writes into the folder being removed.
        app.Lifetime.ApplicationStopped.Register(() => app.Services.GetRequiredService<FileStore>().Dispose());
        return app;
    }
}
