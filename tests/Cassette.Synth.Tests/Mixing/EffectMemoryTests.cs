using Cassette.Synth.Effects;

namespace Cassette.Synth.Tests.Mixing;

/// <summary>Effect delay memory is reused across renders, and a reused line starts silent, as a new one would.</summary>
public class EffectMemoryTests
{
    [Fact]
    public void ALineKeptFromAnEarlierRenderComesBackSilent()
    {
        // Other tests render at the same time and draw from the same spares, so whichever array comes back, the asked
        // length must be zero: an echo left over from the last track would otherwise play into the next.
        for (int round = 0; round < 8; round++)
        {
            var dirty = EffectMemory.Rent(4096);
            Array.Fill(dirty, 0.5f);
            EffectMemory.Return(dirty);
            var again = EffectMemory.Rent(4096);
            try
            {
                Assert.True(again.Length >= 4096);
                Assert.True(again.AsSpan(0, 4096).IndexOfAnyExcept(0f) < 0, "a reused delay line held samples of an earlier render");
            }
            finally
            {
                EffectMemory.Return(again);
            }
        }
    }
}
