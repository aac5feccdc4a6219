namespace Cassette.LocalEngine.Endpoints;

/// <summary>
/// fal's answer to a submission from an account whose balance is exhausted (fal issues #1112, #1147, #1162): 403 on
/// submit only; status, result and cancel of the account's requests still answer.
/// </summary>
public static class LockedAccount
{
    public const string Detail = "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.";

    public static IReadOnlySet<string> ParseKeys(string? keys) =>
        (keys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    public static IResult Refusal() => Results.Json(new { detail = Detail }, statusCode: StatusCodes.Status403Forbidden);
}
