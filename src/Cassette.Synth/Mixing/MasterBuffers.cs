namespace Cassette.Synth.Mixing;

/// <summary>
/// The master (a <see cref="CompactMaster"/>, up to 45 MB for 180 s) is the one large allocation of a render. One is
/// kept for the next render instead of being left to the garbage collector, so back-to-back renders do not stack up
/// copies; a render running at the same time as another gets one of its own.
/// A master rented while no other render holds one is at least <see cref="MinimumFrames"/> long (180 s, the module's
/// longest track): a render writes only its own frames and the master is not zeroed first (every frame is written
/// before it is read), so a 30 s render in a 180 s master keeps no more memory resident than in a 30 s one; but the
/// 180 s render after it then reuses it instead of leaving a 30 s one behind as large-object garbage that stays
/// resident beside the new one. Renders running beside another get masters of their own length, which are garbage
/// afterwards anyway.
/// </summary>
internal static class MasterBuffers
{
    public const int MinimumFrames = 180 * 44100;

    private static CompactMaster? _spare;
    private static readonly object Gate = new();
    private static int _rented;

    public static CompactMaster Rent(int frames)
    {
        int length;
        lock (Gate)
        {
            _rented++;
            if (_spare is { } spare && spare.Capacity >= frames)
            {
                _spare = null;
                return spare;
            }
            // Too short: let it go before the longer one is allocated, not after, so the two are never both held
            // (a 30 s master kept through a 180 s render was that much more at the peak).
            _spare = null;
            length = _rented == 1 ? Math.Max(frames, MinimumFrames) : frames;
        }
        return new CompactMaster(length);
    }

    public static void Return(CompactMaster master)
    {
        lock (Gate)
        {
            _rented--;
            if (_spare is null || _spare.Capacity < master.Capacity) _spare = master;
        }
    }
}
