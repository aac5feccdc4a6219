using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cassette.Synth.Effects;

/// <summary>
/// An eight-line feedback delay network (Jot): delays of 25–70 ms mixed by a Hadamard matrix, each line damped by
/// a one-pole low-pass and scaled for the asked decay time. About a fifth of Freeverb's cost for a similar room.
/// The send is high-passed and pre-delayed so the reverb does not muddy the low end or smear the attacks.
/// Every line lives in a power-of-two slice of one array and shares one write position, so reading a line is a
/// subtraction and a mask: it runs on every sample of every track.
/// </summary>
internal sealed class FdnReverb
{
    private const int Lines = 8;
    private const int LineSize = 4096; // longer than the longest line (1617 · 1.5 samples)
    private const int Mask = LineSize - 1;
    private static readonly int[] BaseLengths = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
    private readonly float[] _buffer = EffectMemory.Rent(Lines * LineSize);
    private readonly int[] _lengths = new int[Lines];
    private readonly float[] _gains = new float[Lines];
    private readonly float[] _damp = new float[Lines];
    private readonly float[] _preDelay;
    private readonly float _dampCoefficient;
    private int _write, _preDelayPosition;
    private OnePole _sendHighPass;

    public FdnReverb(float size, float sampleRate)
    {
        float scale = 0.8f + 0.7f * size;
        float decaySeconds = 0.8f + 3.2f * size;
        for (int i = 0; i < Lines; i++)
        {
            _lengths[i] = (int)(BaseLengths[i] * scale);
            // Each pass through a line loses length/(fs·T60)·60 dB.
            _gains[i] = MathF.Pow(10f, -3f * _lengths[i] / (sampleRate * decaySeconds));
        }
        _dampCoefficient = 1f - MathF.Exp(-2f * MathF.PI * (3000f + 3000f * (1f - size)) / sampleRate);
        _preDelay = new float[(int)(0.02f * sampleRate)];
        _sendHighPass = new OnePole(200f, sampleRate);
    }

    /// <summary>Adds the reverb of <paramref name="send"/> (mono) into the stereo outputs, scaled by <paramref name="level"/>.</summary>
    public void Process(ReadOnlySpan<float> send, Span<float> left, Span<float> right, float level)
    {
        // The eight lines' state lives in locals for the whole block and the delay memory is read without bounds
        // checks (every index is masked into its line): this loop runs for every sample of every track, and with
        // arrays and a stack span it spent more time on loads, stores and checks than on the arithmetic.
        ref float buffer = ref MemoryMarshal.GetArrayDataReference(_buffer);
        int l0 = _lengths[0], l1 = _lengths[1], l2 = _lengths[2], l3 = _lengths[3];
        int l4 = _lengths[4], l5 = _lengths[5], l6 = _lengths[6], l7 = _lengths[7];
        float g0 = _gains[0], g1 = _gains[1], g2 = _gains[2], g3 = _gains[3];
        float g4 = _gains[4], g5 = _gains[5], g6 = _gains[6], g7 = _gains[7];
        float d0 = _damp[0], d1 = _damp[1], d2 = _damp[2], d3 = _damp[3];
        float d4 = _damp[4], d5 = _damp[5], d6 = _damp[6], d7 = _damp[7];
        float c = _dampCoefficient;
        var preDelay = _preDelay;
        int preDelayPosition = _preDelayPosition;
        var sendHighPass = _sendHighPass;
        int write = _write;
        right = right[..send.Length];
        left = left[..send.Length];
        for (int n = 0; n < send.Length; n++)
        {
            float input = preDelay[preDelayPosition];
            preDelay[preDelayPosition] = sendHighPass.HighPass(send[n]);
            if (++preDelayPosition >= preDelay.Length) preDelayPosition = 0;

            float v0, v1, v2, v3, v4, v5, v6, v7;
            (v0, d0) = Tap(ref buffer, (write - l0) & Mask, c, g0, d0);
            (v1, d1) = Tap(ref Unsafe.Add(ref buffer, LineSize), (write - l1) & Mask, c, g1, d1);
            (v2, d2) = Tap(ref Unsafe.Add(ref buffer, 2 * LineSize), (write - l2) & Mask, c, g2, d2);
            (v3, d3) = Tap(ref Unsafe.Add(ref buffer, 3 * LineSize), (write - l3) & Mask, c, g3, d3);
            (v4, d4) = Tap(ref Unsafe.Add(ref buffer, 4 * LineSize), (write - l4) & Mask, c, g4, d4);
            (v5, d5) = Tap(ref Unsafe.Add(ref buffer, 5 * LineSize), (write - l5) & Mask, c, g5, d5);
            (v6, d6) = Tap(ref Unsafe.Add(ref buffer, 6 * LineSize), (write - l6) & Mask, c, g6, d6);
            (v7, d7) = Tap(ref Unsafe.Add(ref buffer, 7 * LineSize), (write - l7) & Mask, c, g7, d7);
            float outLeft = v0 - v2 + v4 - v6;
            float outRight = v1 - v3 + v5 - v7;

            // 8-point fast Walsh–Hadamard transform, scaled by 1/√8 to stay lossless.
            float a0 = v0 + v1, a1 = v0 - v1, a2 = v2 + v3, a3 = v2 - v3;
            float a4 = v4 + v5, a5 = v4 - v5, a6 = v6 + v7, a7 = v6 - v7;
            float b0 = a0 + a2, b1 = a1 + a3, b2 = a0 - a2, b3 = a1 - a3;
            float b4 = a4 + a6, b5 = a5 + a7, b6 = a4 - a6, b7 = a5 - a7;
            const float norm = 0.35355339f;
            int w = write & Mask;
            Unsafe.Add(ref buffer, w) = (b0 + b4) * norm + input;
            Unsafe.Add(ref buffer, LineSize + w) = (b1 + b5) * norm - input;
            Unsafe.Add(ref buffer, 2 * LineSize + w) = (b2 + b6) * norm + input;
            Unsafe.Add(ref buffer, 3 * LineSize + w) = (b3 + b7) * norm - input;
            Unsafe.Add(ref buffer, 4 * LineSize + w) = (b0 - b4) * norm + input;
            Unsafe.Add(ref buffer, 5 * LineSize + w) = (b1 - b5) * norm - input;
            Unsafe.Add(ref buffer, 6 * LineSize + w) = (b2 - b6) * norm + input;
            Unsafe.Add(ref buffer, 7 * LineSize + w) = (b3 - b7) * norm - input;
            write++;

            left[n] += outLeft * level;
            right[n] += outRight * level;
        }
        _write = write & Mask;
        _preDelayPosition = preDelayPosition;
        _sendHighPass = sendHighPass;
        (_damp[0], _damp[1], _damp[2], _damp[3], _damp[4], _damp[5], _damp[6], _damp[7]) = (d0, d1, d2, d3, d4, d5, d6, d7);
    }

    /// <summary>Gives the delay lines back for a later render; the reverb must not process after this.</summary>
    public void Release() => EffectMemory.Return(_buffer);

    /// <summary>One line's output: read, damped by its one-pole (flushing denormals) and scaled for the decay.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float Output, float Damp) Tap(ref float line, int position, float coefficient, float gain, float damp)
    {
        float x = Unsafe.Add(ref line, position);
        float d = damp + coefficient * (x - damp);
        return (d * gain, MathF.Abs(d) < 1e-15f ? 0f : d);
    }
}
