using System;
using System.Text.Json;

namespace Cassette.Protocol
{
    /// <summary>Turns the music generator's result body, {"audio_file":{url, content_type, file_name, file_size}}, into a track.</summary>
    internal static class TrackResult
    {
        /// <summary>A server's file_name is only a suggestion: "../../x.wav" or "CON.wav" must not become a path anyone writes to.</summary>
        private static string? SafeName(string? fileName) =>
            string.IsNullOrWhiteSpace(fileName) ? null : Download.SafeFileName.ForServerName(fileName!);

        public static CassetteTrack Parse(JsonElement root, FalStatus status, FalModelId model, string prompt, int duration, Uri queueUrl, decimal? estimatedCost)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("audio_file", out var file) || file.ValueKind != JsonValueKind.Object)
                throw new FalApiException("The result has no audio_file object.", System.Net.HttpStatusCode.OK, null, null, status.RequestId);
            var url = FalJson.AbsoluteUri(file, "url")
                ?? throw new FalApiException("The result's audio_file has no absolute url.", System.Net.HttpStatusCode.OK, null, null, status.RequestId);
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                throw new FalApiException($"The result's audio url uses '{url.Scheme}', not http or https.", System.Net.HttpStatusCode.OK, null, null, status.RequestId);
            return new CassetteTrack(status.RequestId, model.FullId, prompt, duration, url, FalJson.String(file, "content_type"),
                SafeName(FalJson.String(file, "file_name")), FalJson.Int64(file, "file_size"), status.InferenceTime, estimatedCost, queueUrl);
        }
    }
}
