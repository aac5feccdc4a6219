using Cassette.LocalEngine.Endpoints;
using Cassette.LocalEngine.Queue;
using Cassette.LocalEngine.Storage;
using Microsoft.Extensions.Options;

namespace Cassette.LocalEngine;

/// <summary>Builds the engine's web application, so the program and in-process tests start the same thing.</summary>
public static class EngineHost
{
    public const string EnvironmentPrefix = "CASSETTE_ENGINE_";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.Sources.Insert(builder.Configuration.Sources.Count - 1,
            new Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix = EnvironmentPrefix });
        builder.Services.Configure<EngineOptions>(builder.Configuration);
        builder.Services.AddSingleton<RequestQueue>();
        builder.Services.AddSingleton<FileStore>();
        builder.Services.AddHostedService<GenerationWorkers>();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<EngineOptions>>().Value;
        app.UseFalApiKey(options);
        app.MapFileEndpoints();
        app.MapQueueEndpoints();
        // Hosted services stop before this runs, so no worker still writes into the folder being removed.
        app.Lifetime.ApplicationStopped.Register(() => app.Services.GetRequiredService<FileStore>().Dispose());
        return app;
    }
}
