using System.Text.Json.Nodes;

namespace Cassette.LocalEngine.Faults;

/// <summary>One fault rule as tests write it (docs/local-engine.md, "Fault injection").</summary>
public sealed class FaultRule
{
    public string Target { get; init; } = "";
    public string? RequestId { get; init; }
    public string Kind { get; init; } = "";
    /// <summary>How many times the rule fires; 0 keeps it firing until removed.</summary>
    public int Count { get; init; } = 1;
    /// <summary>Matching calls let through before the rule starts firing.</summary>
    public int Skip { get; init; }

    public int? Status { get; init; }
    public string? ErrorType { get; init; }
    public string? Detail { get; init; }
    public string? Body { get; init; }
    public string? ContentType { get; init; }
    public int? RetryAfter { get; init; }
    public string? RetryAfterFormat { get; init; }

    public int? DelayMs { get; init; }

    public long? Bytes { get; init; }
    public long? ContentLength { get; init; }
    public string? BodyText { get; init; }
    public string? BodyBase64 { get; init; }

    public JsonObject? AudioFile { get; init; }

    /// <summary>model-error: the input field the model complains about (default "prompt").</summary>
    public string? Field { get; init; }
    /// <summary>model-error: the X-Fal-Retryable the result answers with (default false).</summary>
    public bool? Retryable { get; init; }
}
