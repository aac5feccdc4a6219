namespace Cassette.Synth.Prompt;

/// <summary>Words that name a genre. Nouns win over adjectives, so "jazzy lo-fi" is lo-fi and "epic trance" is trance.</summary>
internal static class GenreWords
{
    public static readonly WordTable<Genre> Nouns = new(
        ("lo fi|lofi|chillhop|chill hop|study beats|study music", Genre.LoFi),
        ("hip hop|hiphop|boom bap|rap|r&b|rnb|neo soul|trip hop", Genre.HipHop),
        ("trap|drill|phonk", Genre.Trap),
        ("house|deep house|tech house|uk garage|garage", Genre.House),
        ("techno|minimal techno|industrial|acid", Genre.Techno),
        ("trance|edm|big room|electro|dubstep|future bass|rave|festival|eurodance", Genre.Trance),
        ("drum and bass|drum & bass|drum n bass|drum'n'bass|dnb|d&b|d'n'b|jungle|liquid funk|neurofunk", Genre.DrumAndBass),
        ("synthwave|retrowave|outrun|vaporwave|darksynth|chillwave|80s|eighties", Genre.Synthwave),
        ("pop|synthpop|synth pop|electropop|k pop|j pop|dance pop", Genre.Pop),
        ("rock|punk|metal|grunge|indie|alternative|hard rock|pop punk|garage rock", Genre.Rock),
        ("funk|disco|nu disco|boogie", Genre.Funk),
        ("reggae|dub|ska|dancehall|rocksteady|roots reggae", Genre.Reggae),
        ("jazz|bebop|bossa nova|big band|blues|swing", Genre.Jazz),
        ("ambient|drone|meditation|new age|soundscape|space music|sleep music", Genre.Ambient),
        ("cinematic|orchestral|orchestra|film score|film music|soundtrack|trailer|symphonic|classical|score", Genre.Cinematic),
        ("solo piano|piano solo|piano piece|piano ballad|piano only|lone piano", Genre.SoloPiano),
        ("folk|country|singer songwriter|americana|bluegrass|campfire", Genre.Folk));

    public static readonly WordTable<Genre> Adjectives = new(
        ("jazzy|swinging|bluesy", Genre.Jazz),
        ("funky|groovy", Genre.Funk),
        ("epic|heroic|dramatic|majestic", Genre.Cinematic),
        ("atmospheric|meditative|ethereal", Genre.Ambient),
        ("acoustic", Genre.Folk),
        ("electronic|dance|clubby", Genre.House),
        ("retro", Genre.Synthwave),
        ("chill|chilled|laid back|relaxing|study", Genre.LoFi));

    public static readonly WordTable<Flavour> Flavours = new(
        ("punk|pop punk|hardcore|thrash|speed metal", Flavour.Punk),
        ("disco|nu disco", Flavour.Disco),
        ("ballad", Flavour.Ballad));
}
