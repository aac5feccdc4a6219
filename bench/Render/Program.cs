using Cassette.Bench.Render;

// Two jobs: "render" writes WAVs for listening and for the quality suite; anything else runs the benchmark.
return args.Length > 0 && args[0] == "render" ? RenderCommand.Run(args[1..])
    : args.Length > 0 && args[0] == "stems" ? StemReport.Run(args[1..])
    : Benchmark.Run(args);
