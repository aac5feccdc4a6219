namespace Cassette.Synth.Instruments;

/// <summary>A xorshift32 white-noise generator: fast, and the same sequence for the same seed on every machine.</summary>
internal struct NoiseSource
{
    private uint _state;

    public NoiseSource(ulong seed) => _state = (uint)(seed ^ (seed >> 32)) | 1u;

    /// <summary>Uniform in [-1, 1).</summary>
    public float Next()
    {
        uint x = _state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _state = x;
        return (int)x * (1f / 2147483648f);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextUnit() => Next() * 0.5f + 0.5f;
}
