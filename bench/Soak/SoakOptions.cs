using System.Globalization;

namespace Cassette.Bench.Soak;

/// <summary>The soak's command line; see bench/README.md.</summary>
public sealed class SoakOptions
{
    public string Mode { get; private set; } = "direct";
    public int Renders { get; private set; } = 2000;
    public int Parallel { get; private set; } = Math.Max(2, Environment.ProcessorCount * 2);
    public int Busy { get; private set; } = Environment.ProcessorCount;
    public int Seed { get; private set; } = Environment.TickCount;
    public double CancelFraction { get; private set; } = 0.1;
    public int MinSeconds { get; private set; } = 10;
    public int MaxSeconds { get; private set; } = 180;
    public string EnginePath { get; private set; }
    public int Workers { get; private set; } = 8;
    public int ShutdownEvery { get; private set; } = 150;
    public string ReplayPrompt { get; private set; }
    public long ReplaySeed { get; private set; }
    public int ReplayDuration { get; private set; } = 30;
    public string LogFolder { get; private set; } = Path.GetTempPath();
    /// <summary>More engine options, e.g. "--ProcessingSecondsPerAudioSecond 0.1 --EnableFaultInjection true".</summary>
    public string[] EngineArguments { get; private set; } = [];

    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int(int min, int max)
            {
                string name = args[i];
                int value = int.Parse(Value(), CultureInfo.InvariantCulture);
                if (value < min || value > max) throw new ArgumentOutOfRangeException(name, value, $"{name} must be from {min} to {max}.");
                return value;
            }
            switch (args[i])
            {
                case "--mode": options.Mode = Value() is "direct" or "engine" ? args[i] : throw new ArgumentException("--mode is direct or engine."); break;
                case "--renders": options.Renders = Int(1, int.MaxValue); break;
                case "--parallel": options.Parallel = Int(1, 256); break;
                case "--busy": options.Busy = Int(0, 64); break;
                case "--seed": options.Seed = Int(int.MinValue, int.MaxValue); break;
                case "--cancel-percent": options.CancelFraction = Int(0, 100) / 100.0; break;
                case "--min-seconds": options.MinSeconds = Int(1, 600); break;
                case "--max-seconds": options.MaxSeconds = Int(1, 600); break;
                case "--engine": options.EnginePath = Path.GetFullPath(Value()); break;
                case "--workers": options.Workers = Int(1, 64); break;
                case "--shutdown-every": options.ShutdownEvery = Int(0, int.MaxValue); break;
                case "--engine-args": options.EngineArguments = Value().Split(' ', StringSplitOptions.RemoveEmptyEntries); break;
                case "--log-folder": options.LogFolder = Path.GetFullPath(Value()); break;
                case "--replay": options.ReplayPrompt = Value(); break;
                case "--render-seed": options.ReplaySeed = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--duration": options.ReplayDuration = Int(1, 600); break;
                default: throw new ArgumentException($"Unknown option {args[i]}; see bench/README.md.");
            }
        }
        if (options.MinSeconds > options.MaxSeconds) throw new ArgumentException("--min-seconds must not exceed --max-seconds.");
        if (options.Mode == "engine" && options.EnginePath is null) throw new ArgumentException("--mode engine needs --engine <path to Cassette.LocalEngine.dll>.");
        return options;
    }
}
