namespace Cassette.LocalEngine.Faults;

/// <summary>The routes a rule can target and the kinds of misbehaviour, with which kind applies where.</summary>
public static class FaultNames
{
    public const string Submit = "submit";
    public const string Status = "status";
    public const string Stream = "stream";
    public const string Result = "result";
    public const string Cancel = "cancel";
    public const string File = "file";
    public const string Any = "any";

    public const string Http = "http";
    public const string Reset = "reset";
    public const string DropResponse = "drop-response";
    public const string Delay = "delay";
    public const string InvalidJson = "invalid-json";
    public const string Stall = "stall";
    public const string Truncate = "truncate";
    public const string ReplaceBody = "replace-body";
    public const string PatchResult = "patch-result";
    public const string IgnoreCancel = "ignore-cancel";
    public const string ModelError = "model-error";

    public static readonly string[] Targets = [Submit, Status, Stream, Result, Cancel, File, Any];

    /// <summary>Kinds and the targets they make sense on; null means every target.</summary>
    public static readonly IReadOnlyDictionary<string, string[]?> KindTargets = new Dictionary<string, string[]?>
    {
        [Http] = null,
        [Reset] = null,
        [Delay] = null,
        [InvalidJson] = null,
        // Dropping the answer after the work was done makes no sense for streamed answers.
        [DropResponse] = [Submit, Status, Result, Cancel],
        [Stall] = [File, Stream],
        [Truncate] = [File, Stream],
        [ReplaceBody] = [File],
        [PatchResult] = [Result],
        [IgnoreCancel] = [Cancel],
        // Fires at submit: the request is accepted and runs, and the model's answer (the result) is the error.
        [ModelError] = [Submit],
    };
}
