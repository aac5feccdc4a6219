namespace Cassette.Synth.Mixing;

/// <summary>
/// The float master (up to 63.5 MB for 180 s) is the one large allocation of a render. One pair is kept for the
/// next render instead of being left to the garbage collector, so back-to-back renders do not stack up copies;
/// a render running at the same time as another gets a pair of its own.
/// </summary>
internal static class MasterBuffers
{
    private static (float[] Left, float[] Right)? _spare;
    private static readonly object Gate = new();

    public static (float[] Left, float[] Right) Rent(int frames)
    {
        lock (Gate)
        {
            if (_spare is { } spare && spare.Left.Length >= frames)
            {
                _spare = null;
                return spare;
            }
            // Too short: let it go before the longer pair is allocated, not after, so the two are never both held
            // (a 30 s pair kept through a 180 s render was 10.6 MB more at the peak).
            _spare = null;
        }
        return (new float[frames], new float[frames]);
    }

    public static void Return((float[] Left, float[] Right) buffers)
    {
        lock (Gate)
        {
            if (_spare is null || _spare.Value.Left.Length < buffers.Left.Length) _spare = buffers;
        }
    }
}
