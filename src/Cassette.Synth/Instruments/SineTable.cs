using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cassette.Synth.Instruments;

/// <summary>
/// A 4096-point sine table read with linear interpolation: a third of the cost of MathF.Sin at -100 dB error.
/// It is the inner loop of every FM operator, so it reads the table without bounds checks.
/// </summary>
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sin(float phase)
    {
        float position = (phase - MathF.Floor(phase)) * Size;
        int index = Math.Min((int)position, Size - 1); // phase just below 1 can round up to Size
        float fraction = position - index;
        ref float start = ref MemoryMarshal.GetArrayDataReference(Table);
        float a = Unsafe.Add(ref start, index);
        return a + (Unsafe.Add(ref start, index + 1) - a) * fraction;
    }
}
