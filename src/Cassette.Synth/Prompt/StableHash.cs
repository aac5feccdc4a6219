using System.Text;

namespace Cassette.Synth.Prompt;

/// <summary>FNV-1a over the normalised prompt: the same text gives the same choices on every machine and run.</summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text.Trim().ToLowerInvariant()))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    /// <summary>Mixes a value into a hash (splitmix64 finaliser), for seeds derived from the prompt hash.</summary>
    public static ulong Mix(ulong hash, ulong value)
    {
        ulong z = hash ^ (value + 0x9E3779B97F4A7C15UL + (hash << 6) + (hash >> 2));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
