namespace Cassette.Synth.Effects;

/// <summary>
/// An eight-line feedback delay network (Jot): delays of 25–70 ms mixed by a Hadamard matrix, each line damped by
/// a one-pole low-pass and scaled for the asked decay time. About a fifth of Freeverb's cost for a similar room.
/// The send is high-passed and pre-delayed so the reverb does not muddy the low end or smear the attacks.
/// All eight lines live in one array and the network is unrolled: it runs on every sample of every track.
/// </summary>
internal sealed class FdnReverb
{
    private const int Lines = 8;
    private static readonly int[] BaseLengths = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
    private readonly float[] _buffer;
    private readonly int[] _offsets = new int[Lines];
    private readonly int[] _lengths = new int[Lines];
    private readonly int[] _positions = new int[Lines];
    private readonly float[] _gains = new float[Lines];
    private readonly float[] _damp = new float[Lines];
    private readonly float[] _preDelay;
    private readonly float _dampCoefficient;
    private int _preDelayPosition;
    private OnePole _sendHighPass;

    public FdnReverb(float size, float sampleRate)
    {
        float scale = 0.8f + 0.7f * size;
        float decaySeconds = 0.8f + 3.2f * size;
        int total = 0;
        for (int i = 0; i < Lines; i++)
        {
            _lengths[i] = (int)(BaseLengths[i] * scale);
            _offsets[i] = total;
            total += _lengths[i];
            // Each pass through a line loses length/(fs·T60)·60 dB.
            _gains[i] = MathF.Pow(10f, -3f * _lengths[i] / (sampleRate * decaySeconds));
        }
        _buffer = new float[total];
        _dampCoefficient = 1f - MathF.Exp(-2f * MathF.PI * (3000f + 3000f * (1f - size)) / sampleRate);
        _preDelay = new float[(int)(0.02f * sampleRate)];
        _sendHighPass = new OnePole(200f, sampleRate);
    }

    /// <summary>Adds the reverb of <paramref name="send"/> (mono) into the stereo outputs, scaled by <paramref name="level"/>.</summary>
    public void Process(ReadOnlySpan<float> send, Span<float> left, Span<float> right, float level)
    {
        Span<float> v = stackalloc float[Lines];
        Span<int> read = stackalloc int[Lines];
        var buffer = _buffer.AsSpan();
        var damp = _damp.AsSpan();
        var gains = _gains.AsSpan();
        float coefficient = _dampCoefficient;
        for (int n = 0; n < send.Length; n++)
        {
            float input = _preDelay[_preDelayPosition];
            _preDelay[_preDelayPosition] = _sendHighPass.HighPass(send[n]);
            if (++_preDelayPosition >= _preDelay.Length) _preDelayPosition = 0;

            for (int i = 0; i < Lines; i++)
            {
                read[i] = _offsets[i] + _positions[i];
                float d = damp[i] + coefficient * (buffer[read[i]] - damp[i]);
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
            buffer[read[0]] = (b0 + b4) * norm + input;
            buffer[read[1]] = (b1 + b5) * norm - input;
            buffer[read[2]] = (b2 + b6) * norm + input;
            buffer[read[3]] = (b3 + b7) * norm - input;
            buffer[read[4]] = (b0 - b4) * norm + input;
            buffer[read[5]] = (b1 - b5) * norm - input;
            buffer[read[6]] = (b2 - b6) * norm + input;
            buffer[read[7]] = (b3 - b7) * norm - input;
            for (int i = 0; i < Lines; i++)
                if (++_positions[i] >= _lengths[i]) _positions[i] = 0;

            left[n] += outLeft * level;
            right[n] += outRight * level;
        }
    }
}
