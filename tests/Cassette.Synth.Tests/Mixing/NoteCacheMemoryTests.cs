using Cassette.Synth.Composition;
using Cassette.Synth.Instruments;
using Cassette.Synth.Mixing;
using Cassette.Synth.Prompt;

namespace Cassette.Synth.Tests.Mixing;

/// <summary>Note-cache entries cost what they ring, not the most they may ring, and keep their samples.</summary>
public class NoteCacheMemoryTests
{
    [Fact]
    public void TrimmingTheLatestRunGivesItsTailToTheNextTake()
    {
        var arena = SampleArena.Rent();
        try
        {
            var first = arena.Take(1000);
            var trimmed = arena.Trim(first, 400);
            var next = arena.Take(100);
            Assert.Equal(400, trimmed.Count);
            Assert.Same(first.Array, next.Array);
            Assert.Equal(first.Offset + 400, next.Offset);
        }
        finally
        {
            SampleArena.Return(arena);
        }
    }

    [Fact]
    public void ARunThatIsNoLongerTheLatestKeepsItsLength()
    {
        var arena = SampleArena.Rent();
        try
        {
            var first = arena.Take(1000);
            var second = arena.Take(1000);
            Assert.Equal(1000, arena.Trim(first, 400).Count);
            Assert.Equal(first.Offset + 1000, second.Offset);
        }
        finally
        {
            SampleArena.Return(arena);
        }
    }

    [Theory]
    [InlineData((int)InstrumentKind.DrumsElectronic909, (int)DrumSound.Kick)]
    [InlineData((int)InstrumentKind.DrumsAcoustic, (int)DrumSound.Snare)]
    [InlineData((int)InstrumentKind.DrumsElectronic808, (int)DrumSound.ClosedHat)]
    public void ADrumHitIsCachedAtItsRealLengthWithTheSamplesAVoiceRenders(int kitNumber, int soundNumber)
    {
        // Numbers, not the enums: the test method is public and the synthesizer's types are internal.
        var kit = (InstrumentKind)kitNumber;
        var sound = (DrumSound)soundNumber;
        const float tonicHz = 110f;
        const ulong seed = 42;
        var arena = SampleArena.Rent();
        try
        {
            var cache = new NoteCache(kit, tonicHz, seed, arena);
            var entry = cache.Get((int)sound, NoteCache.Layers, 0);
            Assert.True(entry.Finished);
            Assert.False(entry.Stereo);
            Assert.Equal(entry.Rendered, entry.Capacity);
            Assert.True(entry.Capacity < NoteCache.MaxFrames, $"{sound} kept {entry.Capacity} frames, the whole {NoteCache.MaxFrames}");

            // The same voice, rendered on its own in the cache's chunks, gives the same samples.
            var key = NoteCache.Key((int)sound, NoteCache.Layers);
            var note = new NoteEvent(0, int.MaxValue, (int)sound, 1f);
            var voice = VoiceFactory.Create(kit, note, 0f, tonicHz, StableHash.Mix(seed, (ulong)(key.Cents * 8 + NoteCache.Layers)));
            var expected = new float[NoteCache.MaxFrames];
            var right = new float[4096];
            int rendered = 0;
            bool playing = true;
            while (playing && rendered < expected.Length)
            {
                int count = Math.Min(4096, expected.Length - rendered);
                Array.Clear(right);
                playing = voice.Render(expected.AsSpan(rendered, count), right.AsSpan(0, count));
                rendered += count;
            }
            Assert.Equal(rendered, entry.Rendered);
            Assert.True(expected.AsSpan(0, rendered).SequenceEqual(entry.Left.AsSpan()));

            // What the hit did not need went back: the next entry starts right after it.
            var next = arena.Take(16);
            Assert.Same(entry.Left.Array, next.Array);
            Assert.Equal(entry.Left.Offset + entry.Left.Count, next.Offset);
        }
        finally
        {
            SampleArena.Return(arena);
        }
    }
}
