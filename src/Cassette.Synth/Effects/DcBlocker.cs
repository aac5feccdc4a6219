namespace Cassette.Synth.Effects;

/// <summary>y = x − x₁ + 0.9995·y₁: removes DC (a 3.5 Hz high-pass) so offsets never reach the limiter.</summary>
internal struct DcBlocker
{
    private float _input, _output;

    public float Process(float x)
    {
        float y = x - _input + 0.9995f * _output;
        _input = x;
        _output = MathF.Abs(y) < 1e-20f ? 0f : y;
        return y;
    }
}
