namespace Cassette.Synth.Composition;

/// <summary>
/// splitmix64: a small generator whose sequence is fixed by this code, not by the runtime's System.Random, so the
/// same prompt and seed compose the same song on every .NET version.
/// </summary>
internal sealed class Rng(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public int Next(int exclusiveMax) => (int)(NextDouble() * exclusiveMax);

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Uniform in [-1, 1).</summary>
    public double Signed() => NextDouble() * 2 - 1;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A child generator, so one part's choices do not shift another's when it changes.</summary>
    public Rng Fork(ulong salt) => new(NextULong() ^ (salt * 0xD1B54A32D192ED03UL));
}
