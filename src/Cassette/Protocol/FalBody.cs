using System;
using System.IO;
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
        /// <summary>
        /// The most of a queue answer (JSON or error body) that is read. fal's answers are small: a status with its whole
        /// log (logs=1) is kilobytes, a result names its file by url (the audio itself is downloaded under MaxAudioBytes),
        /// an error is a detail line or a 422's field list. 4 MB is hundreds of times that, and still stops a hostile or
        /// broken server from making the module buffer up to HttpClient's default of 2 GB.
        /// </summary>
        public const int MaxBytes = 4 * 1024 * 1024;

        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

        public static async Task<string> ReadTextAsync(HttpContent content)
        {
            byte[] bytes = await content.ReadAsByteArrayAsync().ConfigureAwait(false);
            // A byte order mark is not part of the JSON text (RFC 8259 section 8.1 lets a parser ignore it).
            int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return Utf8.GetString(bytes, start, bytes.Length - start);
        }

        /// <summary>
        /// The whole body, or null when it is larger than MaxBytes: refused by its Content-Length before a byte is read,
        /// else as soon as more than MaxBytes arrived.
        /// </summary>
        public static async Task<byte[]?> ReadCappedAsync(HttpContent content)
        {
            if (content.Headers.ContentLength > MaxBytes) return null;
            using var source = await content.ReadAsStreamAsync().ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(chunk, 0, chunk.Length).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }
}
