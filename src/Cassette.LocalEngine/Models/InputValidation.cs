using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cassette.LocalEngine.Models;

/// <summary>
/// Validates a submission the way fal's pydantic models do in lax mode, reporting every problem at once in
/// pydantic's shape: {loc, msg, type, input, ctx?}.
/// </summary>
public static class InputValidation
{
    public static GenerationInput? Validate(JsonNode? body, ModelSpec model, JsonArray problems)
    {
        if (body is not JsonObject fields)
        {
            problems.Add(Problem(["body"], "Input should be a valid dictionary or object to extract fields from", "model_attributes_type", body));
            return null;
        }

        string? prompt = ReadPrompt(fields, model, problems);
        int? duration = ReadDuration(fields, model, problems);
        long? seed = ReadSeed(fields, problems, out bool seedValid);
        return prompt is not null && duration is not null && seedValid ? new GenerationInput(prompt, duration.Value, seed) : null;
    }

    public static JsonObject Problem(JsonArray loc, string message, string type, JsonNode? input, JsonObject? ctx = null)
    {
        var problem = new JsonObject
        {
            ["loc"] = loc,
            ["msg"] = message,
            ["type"] = type,
            ["input"] = input?.DeepClone(),
        };
        if (ctx is not null) problem["ctx"] = ctx;
        return problem;
    }

    private static string? ReadPrompt(JsonObject fields, ModelSpec model, JsonArray problems)
    {
        if (!fields.TryGetPropertyValue("prompt", out var value))
        {
            problems.Add(Problem(["body", "prompt"], "Field required", "missing", fields));
            return null;
        }
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            string prompt = v.GetValue<string>();
            // pydantic counts characters as Python does: code points, not UTF-16 units.
            if (prompt.EnumerateRunes().Count() <= model.MaxPromptLength) return prompt;
            problems.Add(Problem(["body", "prompt"], $"String should have at most {model.MaxPromptLength} characters", "string_too_long",
                value, new JsonObject { ["max_length"] = model.MaxPromptLength }));
            return null;
        }
        problems.Add(Problem(["body", "prompt"], "Input should be a valid string", "string_type", value));
        return null;
    }

    private static int? ReadDuration(JsonObject fields, ModelSpec model, JsonArray problems)
    {
        if (!fields.TryGetPropertyValue("duration", out var value))
        {
            problems.Add(Problem(["body", "duration"], "Field required", "missing", fields));
            return null;
        }
        if (!TryReadInteger(value, ["body", "duration"], problems, out long seconds))
            return null;
        if (seconds < model.MinDuration)
        {
            problems.Add(Problem(["body", "duration"], $"Input should be greater than or equal to {model.MinDuration}",
                "greater_than_equal", value, new JsonObject { ["ge"] = model.MinDuration }));
            return null;
        }
        if (seconds > model.MaxDuration)
        {
            problems.Add(Problem(["body", "duration"], $"Input should be less than or equal to {model.MaxDuration}",
                "less_than_equal", value, new JsonObject { ["le"] = model.MaxDuration }));
            return null;
        }
        return (int)seconds;
    }

    private static long? ReadSeed(JsonObject fields, JsonArray problems, out bool valid)
    {
        valid = true;
        // An optional field: absent and null both mean "no seed".
        if (!fields.TryGetPropertyValue("seed", out var value) || value is null)
            return null;
        valid = TryReadInteger(value, ["body", "seed"], problems, out long seed);
        return valid ? seed : null;
    }

    /// <summary>pydantic's lax integer: whole numbers, whole floats (30.0) and numeric strings ("30") pass.</summary>
    private static bool TryReadInteger(JsonNode? value, JsonArray loc, JsonArray problems, out long result)
    {
        result = 0;
        var kind = value is JsonValue v ? v.GetValueKind() : value is null ? JsonValueKind.Null : JsonValueKind.Object;
        switch (kind)
        {
            case JsonValueKind.Number:
                var element = value!.GetValue<JsonElement>();
                if (element.TryGetInt64(out result)) return true;
                double number = element.GetDouble();
                if (double.IsFinite(number) && Math.Floor(number) == number)
                {
                    // Beyond long's range only the range check can fail; saturate so it reports the bound.
                    result = number >= long.MaxValue ? long.MaxValue : number <= long.MinValue ? long.MinValue : (long)number;
                    return true;
                }
                problems.Add(Problem(loc, "Input should be a valid integer, got a number with a fractional part", "int_from_float", value));
                return false;
            case JsonValueKind.String:
                if (long.TryParse(value!.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out result))
                    return true;
                problems.Add(Problem(loc, "Input should be a valid integer, unable to parse string as an integer", "int_parsing", value));
                return false;
            default:
                problems.Add(Problem(loc, "Input should be a valid integer", "int_type", value));
                return false;
        }
    }
}
