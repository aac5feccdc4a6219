using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cassette.LocalEngine.Models;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>
/// Reads a submission's JSON body the way fal's FastAPI runners take it, without ever holding more than the limit:
/// too large is 413 (refused before reading when Content-Length says so), bytes that are not UTF-8 are FastAPI's
/// 400 "There was an error parsing the body", JSON errors are pydantic's json_invalid, and a key given twice keeps
/// its last value (Python's json.loads).
/// </summary>
public static class SubmissionBody
{
    public const string ParseErrorDetail = "There was an error parsing the body";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The parsed body, or the answer that refuses it; problems gets pydantic's entries for 422s.</summary>
    public static async Task<(JsonNode? Body, IResult? Refusal)> ReadAsync(HttpContext context, long maxBytes, JsonArray problems)
    {
        if (context.Request.ContentLength > maxBytes) return (null, TooLarge(context, maxBytes));
        var bytes = await ReadAtMostAsync(context.Request.Body, maxBytes, context.RequestAborted);
        if (bytes is null) return (null, TooLarge(context, maxBytes));
        var content = bytes.AsMemory();
        if (content.Span.StartsWith(Encoding.UTF8.Preamble)) content = content[Encoding.UTF8.Preamble.Length..];
        if (content.Length == 0)
        {
            problems.Add(InputValidation.Problem(["body"], "Field required", "missing", null));
            return (null, null);
        }
        try { StrictUtf8.GetCharCount(content.Span); }
        catch (DecoderFallbackException) { return (null, Results.Json(new { detail = ParseErrorDetail }, statusCode: 400)); }
        try
        {
            using var document = JsonDocument.Parse(content);
            return (LastValueWins(document.RootElement), null);
        }
        catch (JsonException ex)
        {
            problems.Add(InputValidation.Problem(["body", (int)(ex.BytePositionInLine ?? 0)], "JSON decode error", "json_invalid",
                new JsonObject(), new JsonObject { ["error"] = ex.Message }));
            return (null, null);
        }
    }

    /// <summary>
    /// 413, and the connection closes after it: the rest of the body is never read, so the connection cannot carry
    /// another request, and saying so keeps clients from sending their next request into it.
    /// </summary>
    public static IResult TooLarge(HttpContext context, long maxBytes)
    {
        context.Response.Headers.Connection = "close";
        return Results.Json(new { detail = $"Request body too large: the limit is {maxBytes} bytes." }, statusCode: StatusCodes.Status413PayloadTooLarge);
    }

    /// <summary>The whole body, or null as soon as it passes <paramref name="maxBytes"/> (the rest is never read).</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, long maxBytes, CancellationToken token)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, token)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A JSON tree in which a repeated key holds its last value, as Python's json.loads builds its dicts.</summary>
    private static JsonNode? LastValueWins(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var node = new JsonObject();
                foreach (var property in element.EnumerateObject()) node[property.Name] = LastValueWins(property.Value);
                return node;
            case JsonValueKind.Array:
                return new JsonArray(element.EnumerateArray().Select(LastValueWins).ToArray());
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }
}
