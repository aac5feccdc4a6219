// The raw HTTP/1.1 the hostile server reads and writes: one request per connection, answered and closed, so every
// misbehaviour (a cut body, a reset, a wrong length, a trickle) is exactly what the bytes on the wire say.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.TestServers
{
    internal sealed class HttpRequest
    {
        public string Method = "";
        public string Target = "";
        public List<KeyValuePair<string, string>> Headers = new List<KeyValuePair<string, string>>();
        public byte[] Body = Array.Empty<byte>();
    }

    internal static class HttpRequestReader
    {
        private const int MaxHeaderBytes = 256 * 1024;
        private const int MaxBodyBytes = 4 * 1024 * 1024;

        /// <summary>Reads one request; null when the client closed the connection before sending one.</summary>
        public static async Task<HttpRequest?> ReadAsync(NetworkStream stream, CancellationToken cancellationToken)
        {
            var head = new MemoryStream();
            var one = new byte[1];
            int matched = 0;
            // Byte by byte up to the blank line, so nothing of the body is read into the header buffer.
            while (matched < 4)
            {
                int read = await stream.ReadAsync(one, 0, 1, cancellationToken).ConfigureAwait(false);
                if (read == 0) return null;
                head.WriteByte(one[0]);
                if (head.Length > MaxHeaderBytes) return null;
                matched = (one[0] == '\r' && (matched == 0 || matched == 2)) || (one[0] == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : (one[0] == '\r' ? 1 : 0);
            }
            // Latin-1 keeps every byte as one char, so a key with odd bytes is still found.
            var lines = Encoding.GetEncoding("ISO-8859-1").GetString(head.ToArray()).Split(new[] { "\r\n" }, StringSplitOptions.None);
            var first = lines[0].Split(' ');
            if (first.Length < 2) return null;
            var request = new HttpRequest { Method = first[0], Target = first[1] };
            long length = 0;
            for (int i = 1; i < lines.Length; i++)
            {
                if (lines[i].Length == 0) continue;
                int colon = lines[i].IndexOf(':');
                string name = colon < 0 ? lines[i] : lines[i].Substring(0, colon).Trim();
                string value = colon < 0 ? "" : lines[i].Substring(colon + 1).Trim();
                request.Headers.Add(new KeyValuePair<string, string>(name, value));
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) long.TryParse(value, out length);
            }
            if (length > 0 && length <= MaxBodyBytes)
            {
                var body = new byte[length];
                int done = 0;
                while (done < length)
                {
                    int read = await stream.ReadAsync(body, done, (int)length - done, cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    done += read;
                }
                request.Body = body;
            }
            return request;
        }
    }

    /// <summary>An answer, and the ways it may go wrong on the wire.</summary>
    internal sealed class Reply
    {
        private readonly List<string> _headers = new List<string>();
        private byte[] _body = Array.Empty<byte>();
        private string? _contentType;
        private long? _announcedLength;
        private bool _noLength;
        private int? _cutAfter;
        private int _trickleBytes;
        private TimeSpan _trickleEvery;
        private TimeSpan _trickleFor = TimeSpan.FromMinutes(5);
        private TimeSpan _delay;
        private TimeSpan _stallAfterBody;
        private byte[]? _raw;
        private bool _reset;
        private bool _silentClose;
        private string? _chunkedGarbage;

        public Reply(int status, string? reason = null)
        {
            Status = status;
            Reason = reason ?? ReasonFor(status);
        }

        public int Status { get; }
        public string Reason { get; }

        public Reply Json(string json) => Text(json, "application/json");
        public Reply Text(string text, string contentType) => Bytes(Encoding.UTF8.GetBytes(text), contentType);
        public Reply EventStream(string events) => Text(events, "text/event-stream");

        public Reply Bytes(byte[] body, string? contentType)
        {
            _body = body;
            _contentType = contentType;
            return this;
        }

        public Reply Header(string name, string value)
        {
            _headers.Add(name + ": " + value);
            return this;
        }

        /// <summary>Adds a charset parameter to the Content-Type, whether .NET knows the charset or not.</summary>
        public Reply Charset(string charset)
        {
            if (_contentType != null) _contentType += "; charset=" + charset;
            return this;
        }

        /// <summary>Content-Length says this, whatever the body is.</summary>
        public Reply Announce(long length)
        {
            _announcedLength = length;
            return this;
        }

        /// <summary>No Content-Length: the body ends when the connection closes.</summary>
        public Reply WithoutLength()
        {
            _noLength = true;
            return this;
        }

        /// <summary>Sends only this many body bytes, then closes cleanly.</summary>
        public Reply CutAfter(int bytes)
        {
            _cutAfter = bytes;
            return this;
        }

        /// <summary>Sends the body a few bytes at a time.</summary>
        public Reply Trickle(int bytes, TimeSpan every, TimeSpan? forAtMost = null)
        {
            _trickleBytes = Math.Max(1, bytes);
            _trickleEvery = every;
            if (forAtMost is TimeSpan limit) _trickleFor = limit;
            return this;
        }

        /// <summary>Waits before the status line.</summary>
        public Reply Delay(TimeSpan delay)
        {
            _delay = delay;
            return this;
        }

        /// <summary>Keeps the connection open, silent, after the body.</summary>
        public Reply StallAfterBody(TimeSpan stall)
        {
            _stallAfterBody = stall;
            return this;
        }

        /// <summary>Sends these bytes instead of an HTTP answer.</summary>
        public static Reply Raw(byte[] bytes) => new Reply(0) { _raw = bytes };
        /// <summary>Aborts the connection (RST) without answering.</summary>
        public static Reply Reset() => new Reply(0) { _reset = true };
        /// <summary>Closes the connection (FIN) without answering.</summary>
        public static Reply Close() => new Reply(0) { _silentClose = true };
        /// <summary>A chunked body whose chunk header is this text.</summary>
        public Reply Chunked(string chunkHeader)
        {
            _chunkedGarbage = chunkHeader;
            return this;
        }

        public async Task SendAsync(NetworkStream stream, TcpClient client, CancellationToken cancellationToken)
        {
            if (_delay > TimeSpan.Zero) await Task.Delay(_delay, cancellationToken).ConfigureAwait(false);
            if (_reset)
            {
                client.LingerState = new LingerOption(true, 0);
                client.Client.Close(0);
                return;
            }
            if (_silentClose) return;
            if (_raw != null)
            {
                await stream.WriteAsync(_raw, 0, _raw.Length, cancellationToken).ConfigureAwait(false);
                return;
            }
            var head = new StringBuilder();
            head.Append("HTTP/1.1 ").Append(Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Reason).Append("\r\n");
            head.Append("Connection: close\r\n");
            if (_contentType != null) head.Append("Content-Type: ").Append(_contentType).Append("\r\n");
            if (_chunkedGarbage != null) head.Append("Transfer-Encoding: chunked\r\n");
            else if (!_noLength) head.Append("Content-Length: ").Append((_announcedLength ?? _body.Length).ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            foreach (var header in _headers) head.Append(header).Append("\r\n");
            head.Append("\r\n");
            byte[] headBytes = Encoding.GetEncoding("ISO-8859-1").GetBytes(head.ToString());
            await stream.WriteAsync(headBytes, 0, headBytes.Length, cancellationToken).ConfigureAwait(false);
            if (_chunkedGarbage != null)
            {
                byte[] chunk = Encoding.ASCII.GetBytes(_chunkedGarbage + "\r\n");
                await stream.WriteAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(_body, 0, _body.Length, cancellationToken).ConfigureAwait(false);
                return;
            }
            int length = Math.Min(_body.Length, _cutAfter ?? int.MaxValue);
            if (_trickleBytes > 0)
            {
                var until = DateTime.UtcNow + _trickleFor;
                for (int sent = 0; sent < length && DateTime.UtcNow < until; sent += _trickleBytes)
                {
                    await stream.WriteAsync(_body, sent, Math.Min(_trickleBytes, length - sent), cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await Task.Delay(_trickleEvery, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await stream.WriteAsync(_body, 0, length, cancellationToken).ConfigureAwait(false);
            }
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (_stallAfterBody > TimeSpan.Zero) await Task.Delay(_stallAfterBody, cancellationToken).ConfigureAwait(false);
            client.Client.Shutdown(SocketShutdown.Send);
        }

        private static string ReasonFor(int status) => status switch
        {
            200 => "OK", 202 => "Accepted", 204 => "No Content", 206 => "Partial Content",
            301 => "Moved Permanently", 302 => "Found", 303 => "See Other", 307 => "Temporary Redirect", 308 => "Permanent Redirect",
            400 => "Bad Request", 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not Found", 408 => "Request Timeout",
            409 => "Conflict", 416 => "Range Not Satisfiable", 422 => "Unprocessable Entity", 429 => "Too Many Requests",
            500 => "Internal Server Error", 502 => "Bad Gateway", 503 => "Service Unavailable", 504 => "Gateway Timeout",
            _ => "Whatever",
        };
    }
}
