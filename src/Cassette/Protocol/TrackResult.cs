using System;
using System.Text.Json;

namespace Cassette.Protocol
{
    /// <summary>
    /// The music generator's result body, {"audio_file":{url, content_type, file_name, file_size}}, as the server sent
    /// it. The file name is the server's word, not a safe name: whoever names a file from it must make it safe first.
    /// </summary>
    internal sealed class TrackResult
    {
        private TrackResult(Uri audioUrl, string? contentType, string? fileName, long? fileSize)
        {
            AudioUrl = audioUrl;
            ContentType = contentType;
            FileName = fileName;
            FileSize = fileSize;
        }

        public Uri AudioUrl { get; }
        public string? ContentType { get; }
        public string? FileName { get; }
        public long? FileSize { get; }

        public static TrackResult Parse(JsonElement root, string requestId)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("audio_file", out var file) || file.ValueKind != JsonValueKind.Object)
                throw new FalApiException("The result has no audio_file object.", System.Net.HttpStatusCode.OK, null, null, requestId);
            var url = FalJson.AbsoluteUri(file, "url")
                ?? throw new FalApiException("The result's audio_file has no absolute url.", System.Net.HttpStatusCode.OK, null, null, requestId);
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                throw new FalApiException($"The result's audio url uses '{url.Scheme}', not http or https.", System.Net.HttpStatusCode.OK, null, null, requestId);
            return new TrackResult(url, FalJson.String(file, "content_type"), FalJson.String(file, "file_name"), FalJson.Int64(file, "file_size"));
        }
    }
}
