using System;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;

namespace Cassette.Protocol
{
    /// <summary>
    /// The text of a queue answer, read as fal's own clients read it: UTF-8 whatever the Content-Type's charset says
    /// (fal-js's response.json() and response.text(), fal_client's httpx .json()). HttpContent.ReadAsStringAsync would
    /// honour the charset instead, and throw InvalidOperationException on one it does not know ("charset=bogus"),
    /// which no caller maps: a hostile or broken proxy would make that an UnexpectedError.
    /// </summary>
    internal static class FalBody
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

        public static async Task<string> ReadTextAsync(HttpContent content)
        {
            byte[] bytes = await content.ReadAsByteArrayAsync().ConfigureAwait(false);
            // A byte order mark is not part of the JSON text (RFC 8259 section 8.1 lets a parser ignore it).
            int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return Utf8.GetString(bytes, start, bytes.Length - start);
        }
    }
}
