// A fake fal queue that misbehaves on purpose, for the Pester suites (HostileServer.Tests.ps1, HostileServerFuzz.Tests.ps1).
// It speaks raw HTTP/1.1 over TcpListener (no web framework) so it can do what a real server library would refuse to:
// cut a body short, reset a connection, announce a length it never sends, trickle a byte at a time, send a header
// that is not HTTP. It listens on two loopback ports: the queue, and an "other host" that a reply may point to, which
// must never see the key at all. Every request is searched for the key, which may appear only in the queue's
// Authorization header.
//
// Paths: /s/<scenario>[~<tag>]/... runs a named scenario (the tag only keeps one test's calls apart from another's);
//        /f/<seed>/...             runs fuzz case <seed>: what each call gets is drawn from (seed, call kind, call number),
//                                  so a case replays the same way from its seed alone.
// Below that prefix the queue's own layout follows: <owner>/<app> (submit), <owner>/<app>/requests/<id>[/status[/stream]|/cancel],
// and files/<name> for audio.
#nullable enable
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Cassette.TestServers
{
    public sealed class HostileServer : IDisposable
    {
        public const string App = "CassetteAI/music-generator";
        private readonly string _apiKey;
        private readonly TcpListener _queue = new TcpListener(IPAddress.Loopback, 0);
        private readonly TcpListener _other = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentDictionary<string, int> _calls = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _leaks = new ConcurrentQueue<string>();
        private readonly ConcurrentQueue<string> _injected = new ConcurrentQueue<string>();
        private readonly ConcurrentDictionary<Task, bool> _connections = new ConcurrentDictionary<Task, bool>();
        private long _requests;

        public HostileServer(string apiKey)
        {
            _apiKey = apiKey;
            GoodWav = Wav.Make(0.1);
        }

        /// <summary>The only audio a good answer ever serves: any file the module keeps must be exactly this.</summary>
        public byte[] GoodWav { get; }
        public string QueueUrl { get; private set; } = "";
        public string OtherUrl { get; private set; } = "";
        public long RequestCount => Interlocked.Read(ref _requests);
        /// <summary>Where the key showed up outside the queue's Authorization header.</summary>
        public string[] Leaks => _leaks.ToArray();
        /// <summary>Header lines that were not sent by the module itself (an injected header through a key).</summary>
        public string[] InjectedHeaders => _injected.ToArray();

        public void Start()
        {
            _queue.Start();
            _other.Start();
            QueueUrl = $"http://127.0.0.1:{((IPEndPoint)_queue.LocalEndpoint).Port}/";
            OtherUrl = $"http://127.0.0.1:{((IPEndPoint)_other.LocalEndpoint).Port}/";
            _ = AcceptAsync(_queue, isQueue: true);
            _ = AcceptAsync(_other, isQueue: false);
        }

        /// <summary>The queue address of a scenario (see Scenario) or a fuzz case.</summary>
        public string ScenarioUrl(string scenario) => QueueUrl + "s/" + scenario + "/";
        public string FuzzUrl(long seed) => QueueUrl + "f/" + seed.ToString(CultureInfo.InvariantCulture) + "/";

        /// <summary>How many calls reached a scenario or case ("s/name~tag" or "f/seed"), on either host.</summary>
        public int CallsTo(string caseKey) => _calls.TryGetValue(caseKey, out int n) ? n : 0;

        public void Dispose()
        {
            _stop.Cancel();
            try { _queue.Stop(); } catch (SocketException) { }
            try { _other.Stop(); } catch (SocketException) { }
            Task.WaitAll(new List<Task>(_connections.Keys).ToArray(), TimeSpan.FromSeconds(10));
            _stop.Dispose();
        }

        private async Task AcceptAsync(TcpListener listener, bool isQueue)
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync().ConfigureAwait(false); }
                catch (Exception) when (_stop.IsCancellationRequested) { return; }
                catch (SocketException) { continue; }
                var task = Task.Run(() => ServeAsync(client, isQueue));
                _connections[task] = true;
                _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
            }
        }

        private async Task ServeAsync(TcpClient client, bool isQueue)
        {
            using (client)
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                try
                {
                    var request = await HttpRequestReader.ReadAsync(stream, _stop.Token).ConfigureAwait(false);
                    if (request is null) return;
                    Interlocked.Increment(ref _requests);
                    Inspect(request, isQueue);
                    var call = Call.Parse(request, isQueue ? QueueUrl : OtherUrl, isQueue);
                    if (call is null)
                    {
                        await new Reply(404).Json("{\"detail\":\"Not Found\"}").SendAsync(stream, client, _stop.Token).ConfigureAwait(false);
                        return;
                    }
                    int number = _calls.AddOrUpdate(call.CaseKey, 1, (_, n) => n + 1);
                    int ofKind = _calls.AddOrUpdate(call.CaseKey + "#" + call.Kind, 1, (_, n) => n + 1);
                    var context = new CallContext(this, call, ofKind);
                    Reply reply = call.Mode == "s" ? Scenario.Answer(context) : Fuzz.Answer(context);
                    await reply.SendAsync(stream, client, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
                {
                    // The module hung up (it gave up on a slow answer, or was stopped): nothing to clean up.
                }
            }
        }

        /// <summary>Searches a request for the key: raw and url-decoded, everywhere but the queue's Authorization header.</summary>
        private void Inspect(HttpRequest request, bool isQueue)
        {
            string where = isQueue ? "queue" : "other host";
            foreach (var header in request.Headers)
            {
                bool allowed = isQueue && header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && header.Value == "Key " + _apiKey;
                if (!allowed && Contains(header.Value)) _leaks.Enqueue($"{where}: header {header.Key} of {request.Method} {request.Target}");
                if (header.Key.StartsWith("X-Injected", StringComparison.OrdinalIgnoreCase)) _injected.Enqueue(header.Key + ": " + header.Value);
            }
            if (Contains(request.Target) || Contains(Uri.UnescapeDataString(request.Target))) _leaks.Enqueue($"{where}: the url of {request.Method}");
            if (request.Body.Length > 0 && Contains(Encoding.UTF8.GetString(request.Body))) _leaks.Enqueue($"{where}: the body of {request.Method} {request.Target}");
        }

        private bool Contains(string text) => _apiKey.Length > 0 && text.IndexOf(_apiKey, StringComparison.Ordinal) >= 0;

        internal CancellationToken Stopping => _stop.Token;
    }

    /// <summary>One parsed call: which case it belongs to, what kind of queue call it is, and the urls to answer with.</summary>
    internal sealed class Call
    {
        public string Mode = "";
        public string CaseKey = "";
        public string Case = "";
        public string Kind = "";
        public string RequestId = "";
        public string Base = "";
        public string OtherBase = "";
        public HttpRequest Request = null!;

        public static Call? Parse(HttpRequest request, string hostUrl, bool isQueue)
        {
            string path = request.Target;
            int query = path.IndexOf('?');
            if (query >= 0) path = path.Substring(0, query);
            var parts = path.Trim('/').Split('/');
            if (parts.Length < 3 || (parts[0] != "s" && parts[0] != "f")) return null;
            var call = new Call { Mode = parts[0], Case = parts[1], CaseKey = parts[0] + "/" + parts[1], Request = request };
            call.Base = hostUrl + parts[0] + "/" + parts[1] + "/";
            string rest = string.Join("/", parts, 2, parts.Length - 2);
            string app = HostileServer.App;
            if (rest.StartsWith("files/", StringComparison.Ordinal)) call.Kind = "file";
            else if (request.Method == "POST" && rest.StartsWith(app, StringComparison.Ordinal) && !rest.Contains("/requests/")) call.Kind = "submit";
            else if (rest.StartsWith(app + "/requests/", StringComparison.Ordinal))
            {
                var tail = rest.Substring(app.Length + "/requests/".Length).Split('/');
                call.RequestId = Uri.UnescapeDataString(tail[0]);
                string suffix = string.Join("/", tail, 1, tail.Length - 1);
                call.Kind = suffix switch
                {
                    "" => "result",
                    "status" => "status",
                    "status/stream" => "stream",
                    "cancel" => "cancel",
                    _ => "unknown",
                };
            }
            else call.Kind = "unknown";
            if (!isQueue && call.Kind != "file") call.Kind = "unknown";
            return call;
        }
    }

    internal sealed class CallContext
    {
        public CallContext(HostileServer server, Call call, int numberOfKind)
        {
            Server = server;
            Call = call;
            NumberOfKind = numberOfKind;
        }

        public HostileServer Server { get; }
        public Call Call { get; }
        /// <summary>1 for the first call of this kind in this case, 2 for the second...</summary>
        public int NumberOfKind { get; }
        public string Id => Call.RequestId.Length > 0 ? Call.RequestId : "req-" + Call.Case.Replace('~', '-');
        public string Base => Call.Base;
        public string OtherBase => Server.OtherUrl + Call.Mode + "/" + Call.Case + "/";
        public string RequestBase => Base + HostileServer.App + "/requests/" + Uri.EscapeDataString(Id);
        public string FileUrl => Base + "files/" + Uri.EscapeDataString(Id) + ".wav";

        public string SubmitJson(string? statusUrl = null, string? responseUrl = null, string? cancelUrl = null) =>
            "{\"request_id\":" + Json.Str(Id) + ",\"status\":\"IN_QUEUE\",\"queue_position\":0," +
            "\"status_url\":" + Json.Str(statusUrl ?? RequestBase + "/status") + ",\"response_url\":" + Json.Str(responseUrl ?? RequestBase) +
            ",\"cancel_url\":" + Json.Str(cancelUrl ?? RequestBase + "/cancel") + "}";

        public string StatusJson(string status = "COMPLETED", string? requestId = null) =>
            "{\"status\":" + Json.Str(status) + ",\"request_id\":" + Json.Str(requestId ?? Id) + ",\"queue_position\":0,\"logs\":[]," +
            "\"response_url\":" + Json.Str(RequestBase) + "}";

        public string ResultJson(string? url = null, long? size = null) =>
            "{\"audio_file\":{\"url\":" + Json.Str(url ?? FileUrl) + ",\"content_type\":\"audio/wav\",\"file_name\":\"track.wav\",\"file_size\":" +
            (size ?? Server.GoodWav.Length).ToString(CultureInfo.InvariantCulture) + "}}";

        public Reply Normal()
        {
            switch (Call.Kind)
            {
                case "submit": return new Reply(200).Json(SubmitJson());
                case "status": return new Reply(200).Json(StatusJson());
                case "stream": return new Reply(200).EventStream("data: " + StatusJson("IN_PROGRESS") + "\n\n" + "data: " + StatusJson() + "\n\n");
                case "result": return new Reply(200).Json(ResultJson());
                case "cancel": return new Reply(202).Json("{\"status\":\"CANCELLATION_REQUESTED\"}");
                case "file": return new Reply(200).Bytes(Server.GoodWav, "audio/wav");
                default: return new Reply(404).Json("{\"detail\":\"Not Found\"}");
            }
        }
    }

    /// <summary>Named misbehaviours, one per row of issue 13 that needs a server to show it.</summary>
    internal static class Scenario
    {
        public static Reply Answer(CallContext c)
        {
            string name = c.Call.Case.Split('~')[0];
            switch (name)
            {
                case "ok":
                    return c.Normal();
                case "other-id":
                    // Every status names a request that was not asked about.
                    if (c.Call.Kind == "status") return new Reply(200).Json(c.StatusJson("COMPLETED", "someone-elses-request"));
                    if (c.Call.Kind == "stream") return new Reply(200).EventStream("data: " + c.StatusJson("COMPLETED", "someone-elses-request") + "\n\n");
                    return c.Normal();
                case "file-urls":
                    // The submission hands out file:// urls for the request's status, result and cancel.
                    if (c.Call.Kind == "submit") return new Reply(200).Json(c.SubmitJson("file:///etc/passwd", "file:///etc/passwd", "file:///etc/passwd"));
                    return c.Normal();
                case "redirect-file":
                    if (c.Call.Kind == "file") return new Reply(302).Header("Location", "file:///etc/passwd");
                    return c.Normal();
                case "redirect-loop":
                    if (c.Call.Kind == "file") return new Reply(302).Header("Location", c.FileUrl);
                    return c.Normal();
                case "redirect-other":
                    // A download moved to another host, which must not get the key.
                    if (c.Call.Kind == "file" && c.Call.Base.StartsWith(c.Server.QueueUrl, StringComparison.Ordinal))
                        return new Reply(307).Header("Location", c.OtherBase + "files/" + Uri.EscapeDataString(c.Id) + ".wav");
                    return c.Normal();
                case "trickle":
                    // The whole length announced, then two bytes a second until the client gives up.
                    if (c.Call.Kind == "file") return new Reply(200).Bytes(c.Server.GoodWav, "audio/wav").Trickle(2, TimeSpan.FromSeconds(1));
                    return c.Normal();
                case "slow-status":
                    // Stays in the queue for good: only a deadline ends the wait.
                    if (c.Call.Kind == "status") return new Reply(200).Json(c.StatusJson("IN_QUEUE"));
                    if (c.Call.Kind == "stream") return new Reply(500);
                    return c.Normal();
                default:
                    return new Reply(404).Json("{\"detail\":\"no such scenario\"}");
            }
        }
    }

    internal static class Json
    {
        public static string Str(string? text)
        {
            if (text is null) return "null";
            var b = new StringBuilder("\"");
            foreach (char ch in text)
            {
                switch (ch)
                {
                    case '"': b.Append("\\\""); break;
                    case '\\': b.Append("\\\\"); break;
                    default:
                        if (ch < 0x20) b.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                        else b.Append(ch);
                        break;
                }
            }
            return b.Append('"').ToString();
        }
    }

    internal static class Wav
    {
        /// <summary>A valid 44.1 kHz 16-bit stereo PCM WAV of the given length, filled with a quiet saw wave.</summary>
        public static byte[] Make(double seconds)
        {
            int frames = (int)(44100 * seconds);
            int data = frames * 4;
            var stream = new MemoryStream();
            var w = new BinaryWriter(stream);
            w.Write(Encoding.ASCII.GetBytes("RIFF")); w.Write(36 + data); w.Write(Encoding.ASCII.GetBytes("WAVEfmt "));
            w.Write(16); w.Write((short)1); w.Write((short)2); w.Write(44100); w.Write(44100 * 4); w.Write((short)4); w.Write((short)16);
            w.Write(Encoding.ASCII.GetBytes("data")); w.Write(data);
            for (int i = 0; i < frames; i++)
            {
                short sample = (short)((i % 100) * 40 - 2000);
                w.Write(sample); w.Write(sample);
            }
            w.Flush();
            return stream.ToArray();
        }
    }
}
