using System.Numerics;
using Cassette.Synth.Composition;
using Cassette.Synth.Effects;

namespace Cassette.Synth.Mixing;

/// <summary>
/// The mix in two stages, so they can run on different cores for different blocks. <see cref="Sum"/> adds the parts'
/// blocks with their levels and sidechain ducking into a dry bus and the reverb and delay sends; <see cref="Finish"/>
/// runs the reverb and delay and writes the block (DC-blocked, faded in over 5 ms and out at the end) into the
/// master. Each stage keeps two slots, one per block in flight.
/// </summary>
internal sealed class MixBus
{
    private readonly float[][] _left, _right, _reverbSend, _delaySend;
    private readonly float[] _duck;
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
        _left = [BlockBuffers.Rent(blockSize), BlockBuffers.Rent(blockSize)];
        _right = [BlockBuffers.Rent(blockSize), BlockBuffers.Rent(blockSize)];
        _reverbSend = [BlockBuffers.Rent(blockSize), BlockBuffers.Rent(blockSize)];
        _delaySend = [BlockBuffers.Rent(blockSize), BlockBuffers.Rent(blockSize)];
        _duck = BlockBuffers.Rent(blockSize);
        _reverb = new FdnReverb(master.ReverbSize, sampleRate);
        _delay = new PingPongDelay(master.DelaySeconds, 0.38f, sampleRate);
        _sidechain = sidechain;
    }

    /// <summary>Gives the effects' delay memory and the slots back for the next render; the bus must not run after this.</summary>
    public void Release()
    {
        _reverb.Release();
        _delay.Release();
        BlockBuffers.Return(_left);
        BlockBuffers.Return(_right);
        BlockBuffers.Return(_reverbSend);
        BlockBuffers.Return(_delaySend);
        BlockBuffers.Return([_duck]);
    }

    /// <summary>Sums the parts' buffer set <paramref name="buffer"/> into mix slot <paramref name="slot"/>.</summary>
    public void Sum(PartRenderer[] parts, int buffer, int slot, long start, int count)
    {
        var left = _left[slot].AsSpan(0, count);
        var right = _right[slot].AsSpan(0, count);
        var reverbSend = _reverbSend[slot].AsSpan(0, count);
        var delaySend = _delaySend[slot].AsSpan(0, count);
        var duck = _duck.AsSpan(0, count);
        left.Clear();
        right.Clear();
        reverbSend.Clear();
        delaySend.Clear();
        _sidechain.Fill(start, duck);

        foreach (var part in parts) // an array: no enumerator is allocated for each block
        {
            var mix = part.Part.Mix;
            float depth = _sidechain.IsEmpty ? 0f : mix.Sidechain;
            AddPart(part.Left(buffer).AsSpan(0, count), part.Right(buffer).AsSpan(0, count), duck,
                MathF.Pow(10f, mix.GainDb / 20f), depth, mix.Reverb * 0.5f, mix.Delay * 0.5f, left, right, reverbSend, delaySend);
        }
    }

    /// <summary>One part into the bus, a vector of samples at a time.</summary>
    private static void AddPart(ReadOnlySpan<float> partLeft, ReadOnlySpan<float> partRight, ReadOnlySpan<float> duck, float gain, float depth,
        float reverb, float delay, Span<float> left, Span<float> right, Span<float> reverbSend, Span<float> delaySend)
    {
        int width = Vector<float>.Count, i = 0;
        var gainVector = new Vector<float>(gain);
        var depthVector = new Vector<float>(depth);
        var reverbVector = new Vector<float>(reverb);
        var delayVector = new Vector<float>(delay);
        for (; i <= partLeft.Length - width; i += width)
        {
            var g = gainVector * (Vector<float>.One - depthVector * new Vector<float>(duck[i..]));
            var l = new Vector<float>(partLeft[i..]) * g;
            var r = new Vector<float>(partRight[i..]) * g;
            (new Vector<float>(left[i..]) + l).CopyTo(left[i..]);
            (new Vector<float>(right[i..]) + r).CopyTo(right[i..]);
            var both = l + r;
            (new Vector<float>(reverbSend[i..]) + both * reverbVector).CopyTo(reverbSend[i..]);
            (new Vector<float>(delaySend[i..]) + both * delayVector).CopyTo(delaySend[i..]);
        }
        for (; i < partLeft.Length; i++)
        {
            float g = gain * (1f - depth * duck[i]);
            float l = partLeft[i] * g, r = partRight[i] * g;
            left[i] += l;
            right[i] += r;
            reverbSend[i] += (l + r) * reverb;
            delaySend[i] += (l + r) * delay;
        }
    }

    /// <summary>
    /// Runs the effects on mix slot <paramref name="slot"/> and writes the block into the master; <paramref name="start"/>
    /// starts one of the master's blocks, and the block is whole unless it is the track's last.
    /// </summary>
    public void Finish(int slot, long start, int count, CompactMaster master)
    {
        var left = _left[slot].AsSpan(0, count);
        var right = _right[slot].AsSpan(0, count);
        _reverb.Process(_reverbSend[slot].AsSpan(0, count), left, right, _master.ReverbReturn);
        _delay.Process(_delaySend[slot].AsSpan(0, count), left, right, 0.5f);

        const int fadeIn = 220; // 5 ms
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
            // In place: the slot is cleared before it is summed into again.
            left[i] = _dcLeft.Process(left[i]) * gain;
            right[i] = _dcRight.Process(right[i]) * gain;
        }
        master.Write(0, (int)start, left);
        master.Write(1, (int)start, right);
    }
}
