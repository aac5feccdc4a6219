namespace Cassette.Synth.Effects;

/// <summary>
/// An eight-line feedback delay network (Jot): delays of 25–70 ms mixed by a Hadamard matrix, each line damped by
/// a one-pole low-pass and scaled for the asked decay time. About a fifth of Freeverb's cost for a similar room.
/// The send is high-passed and pre-delayed so the reverb does not muddy the low end or smear the attacks.
/// </summary>
internal sealed class FdnReverb
{
    private static readonly int[] BaseLengths = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
    private readonly float[][] _lines = new float[8][];
    private readonly int[] _positions = new int[8];
    private readonly float[] _gains = new float[8];
    private readonly float[] _damp = new float[8];
    private readonly float[] _values = new float[8];
    private readonly float[] _preDelay;
    private readonly float _dampCoefficient;
    private int _preDelayPosition;
    private OnePole _sendHighPass;

    public FdnReverb(float size, float sampleRate)
    {
        float scale = 0.8f + 0.7f * size;
        float decaySeconds = 0.8f + 3.2f * size;
        for (int i = 0; i < 8; i++)
        {
            int length = (int)(BaseLengths[i] * scale);
            _lines[i] = new float[length];
            // Each pass through a line loses length/(fs·T60)·60 dB.
            _gains[i] = MathF.Pow(10f, -3f * length / (sampleRate * decaySeconds));
        }
        _dampCoefficient = 1f - MathF.Exp(-2f * MathF.PI * (3000f + 3000f * (1f - size)) / sampleRate);
        _preDelay = new float[(int)(0.02f * sampleRate)];
        _sendHighPass = new OnePole(200f, sampleRate);
    }

    /// <summary>Adds the reverb of <paramref name="send"/> (mono) into the stereo outputs, scaled by <paramref name="level"/>.</summary>
    public void Process(ReadOnlySpan<float> send, Span<float> left, Span<float> right, float level)
    {
        var v = _values;
        for (int n = 0; n < send.Length; n++)
        {
            float input = _preDelay[_preDelayPosition];
            _preDelay[_preDelayPosition] = _sendHighPass.HighPass(send[n]);
            if (++_preDelayPosition >= _preDelay.Length) _preDelayPosition = 0;

            for (int i = 0; i < 8; i++)
            {
                float x = _lines[i][_positions[i]];
                _damp[i] += _dampCoefficient * (x - _damp[i]);
                if (MathF.Abs(_damp[i]) < 1e-15f) _damp[i] = 0f;
                v[i] = _damp[i] * _gains[i];
            }
            float outLeft = v[0] - v[2] + v[4] - v[6];
            float outRight = v[1] - v[3] + v[5] - v[7];
            Hadamard(v);
            for (int i = 0; i < 8; i++)
            {
                var line = _lines[i];
                line[_positions[i]] = v[i] * 0.35355339f + ((i & 1) == 0 ? input : -input);
                if (++_positions[i] >= line.Length) _positions[i] = 0;
            }
            left[n] += outLeft * level;
            right[n] += outRight * level;
        }
    }

    /// <summary>The 8-point fast Walsh–Hadamard transform (unnormalised; the caller scales by 1/√8).</summary>
    private static void Hadamard(float[] v)
    {
        for (int width = 1; width < 8; width <<= 1)
            for (int i = 0; i < 8; i += width << 1)
                for (int j = i; j < i + width; j++)
                {
                    float a = v[j], b = v[j + width];
                    v[j] = a + b;
                    v[j + width] = a - b;
                }
    }
}
