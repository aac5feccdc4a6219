namespace Cassette.Synth.Mixing;

/// <summary>A direct-form-I biquad with normalised coefficients (a0 = 1), in double for the loudness meter's accuracy.</summary>
internal struct Biquad(double b0, double b1, double b2, double a1, double a2)
{
    private double _x1, _x2, _y1, _y2;

    public double Process(double x)
    {
        double y = b0 * x + b1 * _x1 + b2 * _x2 - a1 * _y1 - a2 * _y2;
        _x2 = _x1;
        _x1 = x;
        _y2 = _y1;
        _y1 = y;
        return y;
    }
}
