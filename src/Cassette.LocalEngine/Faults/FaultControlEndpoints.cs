using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cassette.LocalEngine.Faults;

/// <summary>The /_engine/faults control API tests use to add, inspect and clear fault rules over HTTP.</summary>
public static class FaultControlEndpoints
{
    public const string Prefix = "/_engine/faults";

    public static void MapFaultControl(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Prefix);
        group.MapPost("", AddAsync);
        group.MapGet("", (FaultRegistry faults) => Results.Json(new JsonObject { ["rules"] = faults.Describe() }));
        group.MapGet("{ruleId}", (string ruleId, FaultRegistry faults) =>
            faults.Describe(ruleId) is { } rule ? Results.Json(rule) : Results.Json(new { detail = "No such rule." }, statusCode: 404));
        group.MapDelete("{ruleId}", (string ruleId, FaultRegistry faults) =>
            faults.Remove(ruleId) ? Results.NoContent() : Results.Json(new { detail = "No such rule." }, statusCode: 404));
        group.MapDelete("", (FaultRegistry faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
    }

    private static async Task<IResult> AddAsync(HttpContext context, FaultRegistry faults)
    {
        try
        {
            var rule = await JsonSerializer.DeserializeAsync<FaultRule>(context.Request.Body, FaultRegistry.JsonOptions, context.RequestAborted);
            if (rule is null) return Results.Json(new { detail = "Send a rule as a JSON object." }, statusCode: 400);
            return Results.Json(faults.Add(rule), statusCode: 201);
        }
        catch (JsonException ex)
        {
            return Results.Json(new { detail = "The rule is not valid JSON for a fault rule: " + ex.Message }, statusCode: 400);
        }
        catch (ArgumentException ex)
        {
            return Results.Json(new { detail = ex.Message.Split(" (Parameter")[0] }, statusCode: 400);
        }
    }
}
