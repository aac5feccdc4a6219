namespace Cassette.Bench.Render;

internal static class Benchmark
{
    public static int Run(string[] args) => 0;
}
