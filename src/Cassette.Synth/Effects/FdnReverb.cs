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
    private readonly float[] _buffer = new float[Lines * LineSize];
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
        Span<float> v = stackalloc float[Lines];
        var buffer = _buffer.AsSpan();
        var damp = _damp.AsSpan(0, Lines);
        var gains = _gains.AsSpan(0, Lines);
        var lengths = _lengths.AsSpan(0, Lines);
        float coefficient = _dampCoefficient;
        int write = _write;
        for (int n = 0; n < send.Length; n++)
        {
            float input = _preDelay[_preDelayPosition];
            _preDelay[_preDelayPosition] = _sendHighPass.HighPass(send[n]);
            if (++_preDelayPosition >= _preDelay.Length) _preDelayPosition = 0;

            for (int i = 0; i < Lines; i++)
            {
                float x = buffer[i * LineSize + ((write - lengths[i]) & Mask)];
                float d = damp[i] + coefficient * (x - damp[i]);
                damp[i] = MathF.Abs(d) < 1e-15f ? 0f : d;
                v[i] = d * gains[i];
            }
            float outLeft = v[0] - v[2] + v[4] - v[6];
            float outRight = v[1] - v[3] + v[5] - v[7];

            // 8-point fast Walsh–Hadamard transform, scaled by 1/√8 to stay lossless.
            float a0 = v[0] + v[1], a1 = v[0] - v[1], a2 = v[2] + v[3], a3 = v[2] - v[3];
            float a4 = v[4] + v[5], a5 = v[4] - v[5], a6 = v[6] + v[7], a7 = v[6] - v[7];
            float b0 = a0 + a2, b1 = a1 + a3, b2 = a0 - a2, b3 = a1 - a3;
            float b4 = a4 + a6, b5 = a5 + a7, b6 = a4 - a6, b7 = a5 - a7;
            const float norm = 0.35355339f;
            int w = write & Mask;
            buffer[w] = (b0 + b4) * norm + input;
            buffer[LineSize + w] = (b1 + b5) * norm - input;
            buffer[2 * LineSize + w] = (b2 + b6) * norm + input;
            buffer[3 * LineSize + w] = (b3 + b7) * norm - input;
            buffer[4 * LineSize + w] = (b0 - b4) * norm + input;
            buffer[5 * LineSize + w] = (b1 - b5) * norm - input;
            buffer[6 * LineSize + w] = (b2 - b6) * norm + input;
            buffer[7 * LineSize + w] = (b3 - b7) * norm - input;
            write++;

            left[n] += outLeft * level;
            right[n] += outRight * level;
        }
        _write = write & Mask;
    }
}
