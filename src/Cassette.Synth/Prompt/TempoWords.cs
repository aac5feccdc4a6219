namespace Cassette.Synth.Prompt;

/// <summary>Tempo words, as a position inside the genre's tempo range (0 = its slowest, 1 = its fastest).</summary>
internal static class TempoWords
{
    public static readonly WordTable<double> Table = new(
        ("very slow|extremely slow|glacial", -0.25),
        ("very fast|extremely fast|frantic|breakneck", 1.15),
        ("slow|slowly|slower|downtempo|lento|adagio|largo", 0.0),
        ("laid back|unhurried|easy going|leisurely", 0.2),
        ("mid tempo|midtempo|moderate|medium tempo|andante|moderato", 0.5),
        ("upbeat|up tempo|uptempo|lively|bouncy|allegro", 0.8),
        ("fast|faster|quick|rapid|presto|vivace", 1.0));
}
