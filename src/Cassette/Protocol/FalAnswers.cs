using System;
using System.Net.Http;

namespace Cassette.Protocol
{
    /// <summary>Which queue call an answer belongs to: what may be retried depends on it.</summary>
    internal enum QueueCall
    {
        Submit,
        Status,
        /// <summary>The status stream: judged like a status read, but a 500 there falls back to polling instead of being retried.</summary>
        Stream,
        Result,
        Cancel,
    }

    /// <summary>What to do with an error answer from the queue.</summary>
    internal enum AnswerVerdict
    {
        /// <summary>The answer stands: report it.</summary>
        Final,
        /// <summary>Trouble on the way (fal's ingress, a runner that could not be reached): ask again.</summary>
        Retry,
        /// <summary>A submission answered with a gateway error after the queue gave it an id: it may be queued, so it is not sent again.</summary>
        AmbiguousSubmission,
    }

    /// <summary>
    /// Tells gateway trouble from a model's own answer, as fal's clients do (fal-js retry.ts, fal_client's
    /// _should_retry): 502/503/504 from fal's ingress (no X-Fal-Request-Id, or an nginx page) are retried; a model's
    /// answer that says X-Fal-Retryable is believed; fal's runner error types are retried; 500 is retried only on the
    /// status and result reads (fal-js retries status on 500). A submission is never sent again once the queue may
    /// have accepted it.
    /// </summary>
    internal static class FalAnswers
    {
        public const string RequestIdHeader = "X-Fal-Request-Id";
        public const string ErrorTypeHeader = "X-Fal-Error-Type";
        public const string RetryableHeader = "X-Fal-Retryable";
        /// <summary>fal-js retries the status call 5 times; the module's -MaxRetryCount default is 3.</summary>
        public const int MinStatusRetries = 5;

        /// <summary>fal's error types that mean the request did not reach a runner that answered (fal's errors page).</summary>
        private static readonly string[] RunnerTrouble =
        {
            "runner_scheduling_failure", "runner_connection_timeout", "runner_disconnected", "runner_incomplete_response", "startup_timeout",
        };

        public static AnswerVerdict Judge(HttpResponseMessage response, string? body, QueueCall call)
        {
            int code = (int)response.StatusCode;
            bool? retryable = Retryable(response);
            if (code == 500)
                return (call == QueueCall.Status || call == QueueCall.Result) && retryable != false ? AnswerVerdict.Retry : AnswerVerdict.Final;
            if (code != 502 && code != 503 && code != 504) return AnswerVerdict.Final;
            if (code == 504 && response.Headers.Contains("X-Fal-Request-Timeout-Type")) return AnswerVerdict.Final;
            if (retryable == false) return AnswerVerdict.Final;
            if (IsIngress(response, body) || retryable == true) return AnswerVerdict.Retry;
            if (IsRunnerTrouble(ErrorType(response)))
                // A 503 refuses the work; a 502 or 504 to a submission the queue named may have been queued behind it.
                return call == QueueCall.Submit && code != 503 ? AnswerVerdict.AmbiguousSubmission : AnswerVerdict.Retry;
            return call == QueueCall.Submit ? AnswerVerdict.AmbiguousSubmission : AnswerVerdict.Final;
        }

        /// <summary>fal's ingress answered, not the queue or a model: no request id on it, or nginx's own error page.</summary>
        public static bool IsIngress(HttpResponseMessage response, string? body) =>
            !response.Headers.Contains(RequestIdHeader) || (body != null && body.IndexOf("nginx", StringComparison.OrdinalIgnoreCase) >= 0);

        /// <summary>X-Fal-Retryable: true or false when the model said, else null.</summary>
        public static bool? Retryable(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues(RetryableHeader, out var values)) return null;
            foreach (string value in values)
            {
                if (bool.TryParse(value.Trim(), out bool parsed)) return parsed;
            }
            return null;
        }

        public static string? ErrorType(HttpResponseMessage response) =>
            response.Headers.TryGetValues(ErrorTypeHeader, out var values) ? string.Join(",", values) : null;

        public static string? RequestId(HttpResponseMessage response) =>
            response.Headers.TryGetValues(RequestIdHeader, out var values) ? string.Join(",", values) : null;

        public static bool IsRunnerTrouble(string? errorType) =>
            errorType != null && Array.Exists(RunnerTrouble, t => string.Equals(t, errorType.Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// The locked-account answer (fal issues #1112, #1147, #1162): 403 "User is locked. Reason: Exhausted balance.
        /// Top up your balance at fal.ai/dashboard/billing."
        /// </summary>
        public static bool IsLockedAccount(int statusCode, string? detail) =>
            statusCode == 403 && detail != null &&
            (detail.IndexOf("User is locked", StringComparison.OrdinalIgnoreCase) >= 0 || detail.IndexOf("Exhausted balance", StringComparison.OrdinalIgnoreCase) >= 0);
    }
}
