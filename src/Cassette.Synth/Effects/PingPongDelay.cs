namespace Cassette.Synth.Effects;

/// <summary>A tempo-synced ping-pong echo: left feeds right feeds left, darkened by a low-pass in the loop.</summary>
internal sealed class PingPongDelay
{
    // Rented at the longest delay (2 s), so any tempo's echo can reuse any earlier render's lines.
    private const int LongestSeconds = 2;
    private readonly float[] _left, _right;
    private readonly int _length;
    private int _position;
    private readonly float _feedback;
    private OnePole _toneLeft, _toneRight;

    public PingPongDelay(double delaySeconds, float feedback, float sampleRate)
    {
        _length = Math.Clamp((int)(delaySeconds * sampleRate), 64, (int)sampleRate * LongestSeconds);
        _left = EffectMemory.Rent((int)sampleRate * LongestSeconds);
        _right = EffectMemory.Rent((int)sampleRate * LongestSeconds);
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
            if (++_position >= _length) _position = 0;
            left[n] += echoLeft * level;
            right[n] += echoRight * level;
        }
    }

    /// <summary>Gives the delay lines back for a later render; the echo must not process after this.</summary>
    public void Release()
    {
        EffectMemory.Return(_left);
        EffectMemory.Return(_right);
    }
}
