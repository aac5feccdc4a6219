using Cassette.Synth.Composition;

namespace Cassette.Synth.Tests.Composition;

/// <summary>
/// The composer self-check of docs/synth.md, as a test oracle: a pitch-class histogram of the score (duration ×
/// velocity, bass weighted up, harmonics spread with the 9/1/0.74 HPCP weights) correlated with the 24 rotations
/// of the bgate key profiles the key detector uses.
/// </summary>
internal static class KeyProfile
{
    private static readonly double[] Major = [1, 0, .42, 0, .53, .37, 0, .77, 0, .38, .21, .30];
    private static readonly double[] Minor = [1, 0, .36, .39, 0, .38, 0, .74, .27, 0, .42, .23];

    public static (int Tonic, bool Minor, double Lead) Best(Score score)
    {
        var histogram = new double[12];
        foreach (var part in score.Parts)
        {
            if (part.Role is PartRole.Drums or PartRole.Texture) continue;
            double weight = part.Role == PartRole.Bass ? 1.5 : 1.0;
            foreach (var note in part.Notes)
            {
                int pc = ((int)Math.Round(note.Pitch) % 12 + 12) % 12;
                double energy = note.Length * note.Velocity * weight;
                histogram[pc] += 9 * energy;
                histogram[(pc + 7) % 12] += 1 * energy;  // a peak also feeds the fifth below its own class
                histogram[(pc + 8) % 12] += 0.74 * energy;
            }
        }
        var scores = new List<(int Tonic, bool Minor, double R)>();
        for (int tonic = 0; tonic < 12; tonic++)
        {
            scores.Add((tonic, false, Correlation(histogram, Major, tonic)));
            scores.Add((tonic, true, Correlation(histogram, Minor, tonic)));
        }
        var ordered = scores.OrderByDescending(s => s.R).ToList();
        return (ordered[0].Tonic, ordered[0].Minor, ordered[0].R - ordered[1].R);
    }

    private static double Correlation(double[] histogram, double[] profile, int tonic)
    {
        double meanH = histogram.Average(), meanP = profile.Average();
        double sum = 0, h2 = 0, p2 = 0;
        for (int i = 0; i < 12; i++)
        {
            double h = histogram[(i + tonic) % 12] - meanH, p = profile[i] - meanP;
            sum += h * p;
            h2 += h * h;
            p2 += p * p;
        }
        return sum / Math.Sqrt(h2 * p2);
    }
}
