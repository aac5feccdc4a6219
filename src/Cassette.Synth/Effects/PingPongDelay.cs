namespace Cassette.Synth.Effects;

/// <summary>A tempo-synced ping-pong echo: left feeds right feeds left, darkened by a low-pass in the loop.</summary>
internal sealed class PingPongDelay
{
    private readonly float[] _left, _right;
    private int _position;
    private readonly float _feedback;
    private OnePole _toneLeft, _toneRight;

    public PingPongDelay(double delaySeconds, float feedback, float sampleRate)
    {
        int length = Math.Clamp((int)(delaySeconds * sampleRate), 64, (int)sampleRate * 2);
        _left = new float[length];
        _right = new float[length];
        _feedback = feedback;
        _toneLeft = new OnePole(4000f, sampleRate);
        _toneRight = new OnePole(4000f, sampleRate);
    }

    public void Process(ReadOnlySpan<float> send, Span<float> left, Span<float> right, float level)
    {
        for (int n = 0; n < send.Length; n++)
        {
            float echoLeft = _left[_position], echoRight = _right[_position];
            _left[_position] = _toneLeft.LowPass(send[n] + echoRight * _feedback);
            _right[_position] = _toneRight.LowPass(echoLeft * _feedback);
            if (++_position >= _left.Length) _position = 0;
            left[n] += echoLeft * level;
            right[n] += echoRight * level;
        }
    }
}
