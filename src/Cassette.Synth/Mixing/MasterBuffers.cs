namespace Cassette.Synth.Mixing;

/// <summary>
/// The float master (up to 63.5 MB for 180 s) is the one large allocation of a render. One pair is kept for the
/// next render instead of being left to the garbage collector, so back-to-back renders do not stack up copies;
/// a render running at the same time as another gets a pair of its own.
/// A pair rented while no other render holds one is at least <see cref="MinimumFrames"/> long (180 s, the module's
/// longest track): a render writes only its own frames and the pair is not zeroed first (every frame is written
/// before it is read), so a 30 s render in a 180 s pair keeps no more memory resident than in a 30 s one; but the
/// 180 s render after it then reuses the pair instead of leaving the 30 s one behind as 10.6 MB of large-object
/// garbage that stays resident beside the new 63.5 MB. Renders running beside another get pairs of their own length,
/// which are garbage afterwards anyway.
/// </summary>
internal static class MasterBuffers
{
    public const int MinimumFrames = 180 * 44100;

    private static (float[] Left, float[] Right)? _spare;
    private static readonly object Gate = new();
    private static int _rented;

    public static (float[] Left, float[] Right) Rent(int frames)
    {
        int length;
        lock (Gate)
        {
            _rented++;
            if (_spare is { } spare && spare.Left.Length >= frames)
            {
                _spare = null;
                return spare;
            }
            // Too short: let it go before the longer pair is allocated, not after, so the two are never both held
            // (a 30 s pair kept through a 180 s render was 10.6 MB more at the peak).
            _spare = null;
            length = _rented == 1 ? Math.Max(frames, MinimumFrames) : frames;
        }
        return (GC.AllocateUninitializedArray<float>(length), GC.AllocateUninitializedArray<float>(length));
    }

    public static void Return((float[] Left, float[] Right) buffers)
    {
        lock (Gate)
        {
            _rented--;
            if (_spare is null || _spare.Value.Left.Length < buffers.Left.Length) _spare = buffers;
        }
    }
}
