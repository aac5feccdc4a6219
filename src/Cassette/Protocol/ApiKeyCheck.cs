namespace Cassette.Protocol
{
    /// <summary>
    /// Whether a key can travel in the Authorization header exactly as given. A line break would end the header and
    /// start another (header injection), a NUL or other control character is cut or refused by HTTP stacks at random
    /// points, and a non-ASCII character is re-encoded differently by each of them. fal's keys are printable ASCII.
    /// </summary>
    internal static class ApiKeyCheck
    {
        /// <summary>What is wrong with the key, in words that never repeat it; null when it may be sent.</summary>
        public static string? Problem(string key)
        {
            foreach (char c in key)
            {
                if (c == '\r' || c == '\n') return "a line break";
                if (c < 0x20 || c == 0x7F) return "a control character";
                if (c > 0x7E) return "a character outside printable ASCII";
            }
            return null;
        }
    }
}
