namespace Cassette.LocalEngine.Faults;

/// <summary>Rejects rules that could not fire as written, so a typo in a test fails loudly instead of silently.</summary>
public static class FaultRuleValidator
{
    public static string? Validate(FaultRule rule)
    {
        if (!FaultNames.Targets.Contains(rule.Target))
            return $"target must be one of {string.Join(", ", FaultNames.Targets)}.";
        if (!FaultNames.KindTargets.TryGetValue(rule.Kind, out var targets))
            return $"kind must be one of {string.Join(", ", FaultNames.KindTargets.Keys)}.";
        if (targets is not null && !targets.Contains(rule.Target))
            return $"kind '{rule.Kind}' applies only to target {string.Join(" or ", targets)}.";
        if (rule.RequestId is not null && rule.Target == FaultNames.Submit)
            return "requestId cannot be used with target submit: the request has no id yet.";
        if (rule.Count < 0 || rule.Skip < 0)
            return "count and skip must not be negative.";
        return rule.Kind switch
        {
            FaultNames.Http => ValidateHttp(rule),
            FaultNames.Delay when rule.DelayMs is not (> 0 and <= 600_000) => "delayMs must be between 1 and 600000.",
            FaultNames.InvalidJson when rule.Status is { } s && s is < 200 or > 599 => "status must be between 200 and 599.",
            FaultNames.Stall or FaultNames.Truncate when rule.Bytes is < 0 => "bytes must not be negative.",
            FaultNames.Truncate when rule.ContentLength is <= 0 => "contentLength must be positive.",
            FaultNames.ReplaceBody => ValidateReplacement(rule),
            FaultNames.PatchResult when rule.AudioFile is null => "patch-result needs an audioFile object.",
            FaultNames.ModelError when rule.Field is { Length: 0 } => "field must not be empty.",
            _ => null,
        };
    }

    private static string? ValidateHttp(FaultRule rule)
    {
        if (rule.Status is not (>= 200 and <= 599))
            return "http needs a status between 200 and 599.";
        if (rule.Body is not null && rule.ErrorType is not null)
            return "give either body or errorType, not both.";
        if (rule.RetryAfter is < 0)
            return "retryAfter must not be negative.";
        if (rule.RetryAfterFormat is not (null or "seconds" or "http-date"))
            return "retryAfterFormat must be seconds or http-date.";
        return null;
    }

    private static string? ValidateReplacement(FaultRule rule)
    {
        if ((rule.BodyText is null) == (rule.BodyBase64 is null))
            return "replace-body needs exactly one of bodyText and bodyBase64.";
        if (rule.BodyBase64 is not null && !Convert.TryFromBase64String(rule.BodyBase64, new byte[rule.BodyBase64.Length], out _))
            return "bodyBase64 is not valid base64.";
        return null;
    }
}
