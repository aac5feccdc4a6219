using System.Text.Json;

namespace Cassette.LocalEngine.Tests;

/// <summary>Reading fal's JSON answers in tests.</summary>
public static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string? Str(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static string Url(this JsonElement element, string name) =>
        element.Str(name) ?? throw new Xunit.Sdk.XunitException($"'{name}' missing in {element}");

    public static string Id(this JsonElement element) => element.Url("request_id");
}
