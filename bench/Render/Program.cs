using Cassette.Bench.Render;

// "render" writes a WAV, "stems" and "profile" show where sound and time come from, "digest" fingerprints the output; anything else benchmarks.
return args.Length > 0 && args[0] == "render" ? RenderCommand.Run(args[1..])
    : args.Length > 0 && args[0] == "stems" ? StemReport.Run(args[1..])
    : args.Length > 0 && args[0] == "profile" ? ProfileCommand.Run(args[1..])
    : args.Length > 0 && args[0] == "digest" ? DigestCommand.Run(args[1..])
    : Benchmark.Run(args);
