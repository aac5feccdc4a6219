using System.Text.Json.Nodes;
using Cassette.LocalEngine.Faults;
using Cassette.LocalEngine.Models;

namespace Cassette.LocalEngine.Queue;

/// <summary>
/// A model-side error that arrives from the result after COMPLETED, as fal's result repeats "the status code,
/// headers and body that the model returned": 422 with pydantic's detail list, X-Fal-Error-Type and X-Fal-Retryable.
/// </summary>
public sealed record ModelRejection(JsonObject Body, string ErrorType, bool Retryable, int StatusCode = 422)
{
    public const string DefaultType = "value_error";

    /// <summary>The rejection a model-error fault rule describes: one problem on one input field.</summary>
    public static ModelRejection From(FaultRule rule, GenerationInput input)
    {
        string field = rule.Field ?? "prompt";
        string type = rule.ErrorType ?? DefaultType;
        JsonNode? value = field switch
        {
            "prompt" => input.Prompt,
            "duration" => input.DurationSeconds,
            "seed" => input.Seed,
            _ => null,
        };
        var problem = InputValidation.Problem(["body", field], rule.Detail ?? "The model could not use this input.", type, value);
        // fal's error objects carry a documentation url per type (docs.fal.ai/errors).
        problem["url"] = "https://docs.fal.ai/errors/#" + type;
        return new ModelRejection(new JsonObject { ["detail"] = new JsonArray(problem) }, type, rule.Retryable ?? false);
    }
}
