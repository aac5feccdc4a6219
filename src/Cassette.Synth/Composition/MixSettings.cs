namespace Cassette.Synth.Composition;

/// <summary>
/// Where a part sits: level, pan (-1 left … 1 right), how much it feeds the reverb and delay, how far the kick ducks
/// it (0..1) and a low-cut that keeps everything but bass and kick out of the sub range.
/// </summary>
internal sealed record MixSettings(float GainDb, float Pan = 0f, float Reverb = 0.15f, float Delay = 0f, float Sidechain = 0f, float LowCutHz = 0f);
