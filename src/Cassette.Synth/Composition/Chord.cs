namespace Cassette.Synth.Composition;

/// <summary>A chord as a root (semitones above the key's tonic) and the intervals above that root.</summary>
internal readonly record struct Chord(int Root, int[] Intervals)
{
    public bool IsMinor => Intervals.Length > 1 && Intervals[1] == 3;

    /// <summary>Pitch classes relative to the tonic.</summary>
    public IEnumerable<int> Tones
    {
        get
        {
            int root = Root;
            return Intervals.Select(i => (root + i) % 12);
        }
    }

    /// <summary>The chord's pitches closest to a centre pitch: a simple voicing that keeps voice leading smooth.</summary>
    public int[] Voicing(int tonic, int centre, int count)
    {
        var pitches = new List<int>();
        foreach (int interval in Intervals)
        {
            int pitchClass = (tonic + Root + interval) % 12;
            int pitch = centre - 6 + ((pitchClass - (centre - 6)) % 12 + 12) % 12;
            pitches.Add(pitch);
        }
        pitches.Sort();
        // More voices than tones: double from the bottom an octave up.
        for (int i = 0; pitches.Count < count; i++) pitches.Add(pitches[i] + 12);
        return pitches.Take(Math.Max(count, 1)).OrderBy(p => p).ToArray();
    }
}
