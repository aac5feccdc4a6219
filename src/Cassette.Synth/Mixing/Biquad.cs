namespace Cassette.Synth.Mixing;

/// <summary>
/// The normalised coefficients (a0 = 1) of a direct-form-I biquad, in double for the loudness meter's accuracy;
/// the meter runs the filters itself, on locals, in its inner loop.
/// </summary>
internal readonly record struct Biquad(double B0, double B1, double B2, double A1, double A2);
