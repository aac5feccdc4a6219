namespace Cassette.Synth.Instruments;

/// <summary>A 4096-point sine table read with linear interpolation: half the cost of MathF.Sin at -120 dB error.</summary>
internal static class SineTable
{
    private const int Size = 4096;
    private static readonly float[] Table = Build();

    private static float[] Build()
    {
        var table = new float[Size + 1];
        for (int i = 0; i <= Size; i++) table[i] = (float)Math.Sin(2 * Math.PI * i / Size);
        return table;
    }

    /// <summary>sin(2π·phase) for any phase (in cycles), positive or negative.</summary>
    public static float Sin(float phase)
    {
        phase -= MathF.Floor(phase);
        float position = phase * Size;
        int index = (int)position;
        if (index >= Size) index = Size - 1;
        float fraction = position - index;
        float a = Table[index];
        return a + (Table[index + 1] - a) * fraction;
    }
}
