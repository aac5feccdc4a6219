// The fuzz answers: for each call, a draw from (case seed, call kind, call number) picks either a transport or HTTP
// misbehaviour, or a fal-shaped JSON answer whose fields are mutated. Most draws still let a case move on to its next
// call, so the later steps (result, download) are reached as often as the first. Slow answers are kept short (a
// couple of seconds at most) so that thousands of cases fit in a few minutes; what the module must survive is their
// shape, not their length.
#nullable enable
using System;
using System.Globalization;
using System.Text;

namespace Cassette.TestServers
{
    internal static class Fuzz
    {
        public static Reply Answer(CallContext c)
        {
            var rng = new Random(Seed(c.Call.Case, c.Call.Kind, c.NumberOfKind));
            // One call in four misbehaves on the wire or in its HTTP status; the rest are fal-shaped with mutations.
            if (rng.Next(4) == 0) return Transport(c, rng);
            return c.Call.Kind switch
            {
                "submit" => Submit(c, rng),
                "status" => new Reply(200).Json(Status(c, rng)),
                "stream" => Stream(c, rng),
                "result" => Result(c, rng),
                "cancel" => Cancel(rng),
                "file" => File(c, rng),
                _ => new Reply(404).Json("{\"detail\":\"Not Found\"}"),
            };
        }

        private static int Seed(string caseSeed, string kind, int number)
        {
            // FNV-1a: stable across runs and runtimes, unlike string.GetHashCode.
            uint hash = 2166136261;
            foreach (char ch in caseSeed + "/" + kind + "/" + number.ToString(CultureInfo.InvariantCulture))
            {
                hash ^= ch;
                hash *= 16777619;
            }
            return (int)(hash & 0x7FFFFFFF);
        }

        private static T Pick<T>(Random rng, params T[] choices) => choices[rng.Next(choices.Length)];

        private static Reply Transport(CallContext c, Random rng)
        {
            switch (rng.Next(12))
            {
                case 0: return Reply.Reset();
                case 1: return Reply.Close();
                case 2: return Reply.Raw(Encoding.ASCII.GetBytes(Pick(rng, "garbage\r\n\r\n", "HTTP/9.9 OK\r\n\r\n", "\0\0\0\0", "HTTP/1.1 200\r\nContent-Length: x\r\n\r\n{}", "HTTP/1.1 abc OK\r\n\r\n")));
                case 3:
                    // An error status with an odd body and odd headers.
                    var error = new Reply(Pick(rng, 400, 401, 403, 404, 405, 408, 409, 410, 413, 422, 429, 499, 500, 501, 502, 503, 504, 599, 204, 201, 203))
                        .Text(Pick(rng, "", "{\"detail\":\"nope\"}", "{\"detail\":[{\"loc\":[\"body\",\"duration\"],\"msg\":\"bad\",\"type\":\"x\"}]}",
                            "<html>proxy error</html>", "{\"detail\":\"" + new string('x', 5000) + "\"}", "[]", "null", "{\"detail\":[1,{\"loc\":5}]}"),
                            Pick(rng, "application/json", "text/html", "text/plain"));
                    if (rng.Next(2) == 0) error.Header("Retry-After", Pick(rng, "0", "1", "-5", "soon", "99999999999999999999", DateTime.UtcNow.AddSeconds(1).ToString("R", CultureInfo.InvariantCulture)));
                    if (rng.Next(3) == 0) error.Header("X-Fal-Error-Type", Pick(rng, "runner_server_error", "client_cancelled", "", "request_timeout"));
                    if (rng.Next(4) == 0) error.Header("X-Fal-Request-Timeout-Type", "user");
                    return error;
                case 4:
                    return new Reply(Pick(rng, 301, 302, 303, 307, 308)).Header("Location", Pick(rng,
                        "file:///etc/passwd", "ftp://files.example.com/a.wav", "javascript:alert(1)", c.OtherBase + "files/x.wav",
                        c.FileUrl, "../../elsewhere", "http://[::1", "", "data:audio/wav;base64,UklGRg==", "//127.0.0.1:1/x"));
                case 5: return new Reply(300).Text("", "text/plain");
                case 6: return c.Normal().CutAfter(rng.Next(0, 40));
                case 7: return c.Normal().Announce(rng.Next(0, 2) == 0 ? 5 : 100000);
                case 8: return c.Normal().Delay(TimeSpan.FromMilliseconds(rng.Next(100, 1400)));
                case 9: return c.Normal().Chunked(Pick(rng, "zz", "-1", "ffffffffffffffffff", ""));
                case 10: return c.Normal().Header(Pick(rng, "X-Long", "Set-Cookie", "Content-Type"), new string('a', Pick(rng, 10, 70000, 200000)));
                default:
                    // An encoding the module never asked for, or a charset .NET does not know (ReadAsStringAsync throws on it).
                    return rng.Next(2) == 0 ? c.Normal().Header("Content-Encoding", Pick(rng, "gzip", "br", "identity, gzip"))
                        : c.Normal().Charset(Pick(rng, "bogus", "\"\"", "utf-99", "utf-16", "iso-8859-1"));
            }
        }

        private static string Url(CallContext c, Random rng, string good) => Pick(rng,
            good, good, good, good, good, "file:///etc/passwd", "ftp://x.example/a", "not a url", "", "/relative/path", c.OtherBase + "elsewhere",
            "javascript:alert(1)", "http://user:pw@127.0.0.1:1/x");

        private static string Id(CallContext c, Random rng) => Pick(rng,
            c.Id, c.Id, c.Id, c.Id, c.Id, "", "../../etc/passwd", new string('r', 3000), "id with spaces", "a/b?c#d", "ünïcødé", "\u0000nul", "CON");

        private static string JsonId(CallContext c, Random rng) =>
            rng.Next(10) switch { 0 => "null", 1 => "42", 2 => "[]", 3 => "{}", _ => Json.Str(Id(c, rng)) };

        private static Reply Submit(CallContext c, Random rng)
        {
            string body = rng.Next(10) switch
            {
                0 => Pick(rng, "[]", "null", "true", "\"IN_QUEUE\"", "{", "{\"request_id\":", "", "\uFEFF{}", new string('[', 3000)),
                1 => "{\"status\":\"IN_QUEUE\"}",
                _ => "{\"request_id\":" + JsonId(c, rng) + ",\"status\":" + Json.Str(Pick(rng, "IN_QUEUE", "IN_QUEUE", "COMPLETED", "weird")) +
                     ",\"queue_position\":" + Pick(rng, "0", "-1", "1e300", "\"3\"", "null", "99999999999999999999") +
                     ",\"status_url\":" + Json.Str(Url(c, rng, c.RequestBase + "/status")) +
                     ",\"response_url\":" + Json.Str(Url(c, rng, c.RequestBase)) +
                     ",\"cancel_url\":" + Json.Str(Url(c, rng, c.RequestBase + "/cancel")) + "}",
            };
            return new Reply(Pick(rng, 200, 200, 200, 201, 202)).Json(body);
        }

        private static string Status(CallContext c, Random rng)
        {
            if (rng.Next(12) == 0) return Pick(rng, "[]", "\"COMPLETED\"", "{", "null", "{\"status\":null}");
            var b = new StringBuilder("{");
            // COMPLETED most of the time, so waits end; the rest keep a case polling for a while or break it.
            b.Append("\"status\":").Append(Json.Str(Pick(rng, "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "IN_QUEUE", "IN_PROGRESS", "completed", "", "FAILED")));
            if (rng.Next(6) != 0) b.Append(",\"request_id\":").Append(rng.Next(5) == 0 ? Json.Str(Pick(rng, "someone-else", "", c.Id + "x")) : Json.Str(c.Id));
            b.Append(",\"queue_position\":").Append(Pick(rng, "0", "3", "-7", "1e40", "\"x\"", "null"));
            if (rng.Next(5) == 0) b.Append(",\"error\":").Append(Json.Str(Pick(rng, "boom", "", new string('e', 3000))));
            if (rng.Next(5) == 0) b.Append(",\"error_type\":").Append(Json.Str(Pick(rng, "runner_server_error", "client_cancelled", "timeout", "")));
            b.Append(",\"logs\":").Append(rng.Next(4) switch
            {
                0 => "null",
                1 => "[{\"message\":\"hello\",\"level\":\"INFO\",\"timestamp\":\"not a time\"},{\"message\":5},null,\"x\"]",
                2 => "[" + string.Join(",", new string[200]).Replace(",", "{\"message\":\"line\",\"level\":\"DEBUG\"},") + "{\"message\":\"end\"}]",
                _ => "[]",
            });
            if (rng.Next(3) == 0) b.Append(",\"response_url\":").Append(Json.Str(Url(c, rng, c.RequestBase)));
            if (rng.Next(8) == 0) b.Append(",\"metrics\":{\"inference_time\":").Append(Pick(rng, "1.5", "-1", "1e400", "\"x\"")).Append('}');
            return b.Append('}').ToString();
        }

        private static Reply Stream(CallContext c, Random rng)
        {
            var events = new StringBuilder();
            int count = rng.Next(0, 4);
            for (int i = 0; i < count; i++)
            {
                events.Append(rng.Next(6) switch
                {
                    0 => ": ping\n\n",
                    1 => "data: {not json\n\n",
                    2 => "event: weird\ndata: " + Status(c, rng) + "\n\n",
                    3 => "data: " + new string('x', 70000) + "\n\n",
                    _ => "data: " + Status(c, rng) + "\n\n",
                });
            }
            var reply = new Reply(200).Text(events.ToString(), Pick(rng, "text/event-stream", "text/event-stream", "text/event-stream", "application/json", "text/plain"));
            return rng.Next(5) switch
            {
                0 => reply.WithoutLength().StallAfterBody(TimeSpan.FromMilliseconds(rng.Next(200, 1800))),
                1 => reply.Trickle(rng.Next(5, 50), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2)),
                _ => reply,
            };
        }

        private static Reply Result(CallContext c, Random rng)
        {
            string good = c.FileUrl;
            string body = rng.Next(8) switch
            {
                0 => Pick(rng, "{}", "[]", "{\"audio_file\":null}", "{\"audio_file\":\"http://127.0.0.1/a.wav\"}", "{\"audio_file\":{}}", "{", "null"),
                _ => "{\"audio_file\":{\"url\":" + Json.Str(Pick(rng, good, good, good, good, c.OtherBase + "files/" + Uri.EscapeDataString(c.Id) + ".wav", Url(c, rng, good))) +
                     ",\"content_type\":" + Json.Str(Pick(rng, "audio/wav", "text/html", "")) +
                     ",\"file_name\":" + Json.Str(Pick(rng, "track.wav", "../../evil.wav", "CON", "", "/etc/passwd", new string('n', 400))) +
                     ",\"file_size\":" + Pick(rng, c.Server.GoodWav.Length.ToString(CultureInfo.InvariantCulture), c.Server.GoodWav.Length.ToString(CultureInfo.InvariantCulture),
                         "0", "-1", "1e20", "\"17684\"", "null", (c.Server.GoodWav.Length + 1).ToString(CultureInfo.InvariantCulture), "99999999999") + "}}",
            };
            var reply = new Reply(200).Json(body);
            if (rng.Next(10) == 0) reply.Header("X-Fal-Error-Type", "runner_server_error");
            return reply;
        }

        private static Reply Cancel(Random rng) =>
            new Reply(Pick(rng, 202, 200, 400, 404, 500, 409)).Json(Pick(rng, "{\"status\":\"CANCELLATION_REQUESTED\"}", "{\"status\":\"ALREADY_COMPLETED\"}", "", "["));

        private static Reply File(CallContext c, Random rng)
        {
            byte[] wav = c.Server.GoodWav;
            switch (rng.Next(14))
            {
                case 0: return new Reply(200).Bytes(wav, "audio/wav").CutAfter(rng.Next(0, wav.Length));
                case 1: return new Reply(200).Bytes(wav, "audio/wav").Announce(wav.Length + rng.Next(1, 5000));
                case 2: return new Reply(200).Bytes(wav, "audio/wav").WithoutLength();
                case 3: return new Reply(200).Bytes(Encoding.UTF8.GetBytes("<html>not audio</html>"), "text/html");
                case 4:
                    // A header that promises more audio than follows, and a format that is not PCM.
                    var broken = (byte[])wav.Clone();
                    if (rng.Next(2) == 0) BitConverter.GetBytes(int.MaxValue).CopyTo(broken, 40); else BitConverter.GetBytes((short)85).CopyTo(broken, 20);
                    return new Reply(200).Bytes(broken, "audio/wav");
                case 5: return new Reply(200).Bytes(wav, "audio/wav").Announce(1000000000000L).CutAfter(4096);
                case 6: return new Reply(206).Bytes(wav, "audio/wav").Header("Content-Range", Pick(rng, "bytes 0-10/20", "bytes */*", "garbage", "bytes 5-4/3"));
                case 7: return new Reply(200).Bytes(wav, "audio/wav").Trickle(rng.Next(20, 400), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3));
                case 8: return new Reply(200).Bytes(wav, "audio/wav").WithoutLength().CutAfter(rng.Next(0, wav.Length)).StallAfterBody(TimeSpan.FromMilliseconds(rng.Next(100, 1800)));
                case 9: return new Reply(416).Text("", "text/plain");
                case 10: return new Reply(200).Bytes(Array.Empty<byte>(), "audio/wav");
                case 11: return new Reply(200).Bytes(wav, "audio/wav").Header("ETag", Pick(rng, "\"abc\"", "W/\"weak\"", "garbage", "\"\"")).CutAfter(rng.Next(44, wav.Length));
                default: return new Reply(200).Bytes(wav, "audio/wav");
            }
        }
    }
}
