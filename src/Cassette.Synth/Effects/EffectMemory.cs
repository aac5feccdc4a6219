namespace Cassette.Synth.Effects;

/// <summary>
/// Delay memory for the mix bus's effects (the reverb's lines and the echo's two channels, up to 0.8 MB a render),
/// kept for the next render instead of left behind: each array is large enough for the large-object heap, which is
/// only collected with the oldest generation, so a server rendering track after track piled up tens of megabytes of
/// them between full collections (the render benchmark's peak grew with every render).
/// </summary>
internal static class EffectMemory
{
    // Two renders run at once in the engine (one per core), each holding three arrays.
    private const int Retained = 6;
    private static readonly List<float[]> Spare = [];

    /// <summary>An array of at least <paramref name="length"/> floats whose first <paramref name="length"/> are zero.</summary>
    public static float[] Rent(int length)
    {
        float[]? array = null;
        lock (Spare)
        {
            // The shortest spare that is long enough, so a long echo line is not taken for the reverb.
            int best = -1;
            for (int i = 0; i < Spare.Count; i++)
                if (Spare[i].Length >= length && (best < 0 || Spare[i].Length < Spare[best].Length)) best = i;
            if (best >= 0)
            {
                array = Spare[best];
                Spare.RemoveAt(best);
            }
        }
        if (array is null) return new float[length];
        Array.Clear(array, 0, length); // it comes back holding the last render's echoes
        return array;
    }

    /// <summary>Keeps <paramref name="array"/> for a later render (while fewer than <see cref="Retained"/> are kept).</summary>
    public static void Return(float[] array)
    {
        lock (Spare)
            if (Spare.Count < Retained) Spare.Add(array);
    }
}
