using Cassette.Synth.Composition;
using Cassette.Synth.Effects;

namespace Cassette.Synth.Mixing;

/// <summary>
/// Sums the parts' blocks with their levels and sidechain ducking, feeds the reverb and delay sends, and writes the
/// stereo mix (DC-blocked, faded in over 5 ms and out at the end) into the master buffers.
/// </summary>
internal sealed class MixBus
{
    private readonly float[] _left, _right, _reverbSend, _delaySend, _duck;
    private readonly FdnReverb _reverb;
    private readonly PingPongDelay _delay;
    private readonly SidechainCurve _sidechain;
    private readonly MasterSettings _master;
    private readonly int _totalFrames;
    private DcBlocker _dcLeft, _dcRight;

    public MixBus(MasterSettings master, int blockSize, int totalFrames, SidechainCurve sidechain, float sampleRate)
    {
        _master = master;
        _totalFrames = totalFrames;
        _left = new float[blockSize];
        _right = new float[blockSize];
        _reverbSend = new float[blockSize];
        _delaySend = new float[blockSize];
        _duck = new float[blockSize];
        _reverb = new FdnReverb(master.ReverbSize, sampleRate);
        _delay = new PingPongDelay(master.DelaySeconds, 0.38f, sampleRate);
        _sidechain = sidechain;
    }

    public void Mix(IReadOnlyList<PartRenderer> parts, int buffer, long start, int count, float[] masterLeft, float[] masterRight)
    {
        var left = _left.AsSpan(0, count);
        var right = _right.AsSpan(0, count);
        var reverbSend = _reverbSend.AsSpan(0, count);
        var delaySend = _delaySend.AsSpan(0, count);
        var duck = _duck.AsSpan(0, count);
        left.Clear();
        right.Clear();
        reverbSend.Clear();
        delaySend.Clear();
        _sidechain.Fill(start, duck);

        foreach (var part in parts)
        {
            var mix = part.Part.Mix;
            float gain = MathF.Pow(10f, mix.GainDb / 20f);
            float depth = _sidechain.IsEmpty ? 0f : mix.Sidechain;
            float reverb = mix.Reverb * 0.5f, delay = mix.Delay * 0.5f;
            var partLeft = part.Left(buffer).AsSpan(0, count);
            var partRight = part.Right(buffer).AsSpan(0, count);
            for (int i = 0; i < count; i++)
            {
                float g = gain * (1f - depth * duck[i]);
                float l = partLeft[i] * g, r = partRight[i] * g;
                left[i] += l;
                right[i] += r;
                reverbSend[i] += (l + r) * reverb;
                delaySend[i] += (l + r) * delay;
            }
        }
        _reverb.Process(reverbSend, left, right, _master.ReverbReturn);
        _delay.Process(delaySend, left, right, 0.5f);

        int fadeIn = 220; // 5 ms
        int fadeStart = _master.FadeOutStartFrame;
        float fadeLength = Math.Max(1, _totalFrames - fadeStart);
        for (int i = 0; i < count; i++)
        {
            long frame = start + i;
            float gain = frame < fadeIn ? frame / (float)fadeIn : 1f;
            if (frame >= fadeStart)
            {
                float x = (frame - fadeStart) / fadeLength;
                gain *= 0.5f + 0.5f * MathF.Cos(MathF.PI * x);
            }
            masterLeft[frame] = _dcLeft.Process(left[i]) * gain;
            masterRight[frame] = _dcRight.Process(right[i]) * gain;
        }
    }
}
