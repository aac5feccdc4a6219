using System.Security.Cryptography;
using System.Text;
using Cassette.LocalEngine.Faults;

namespace Cassette.LocalEngine.Endpoints;

/// <summary>fal's authentication: every queue call needs "Authorization: Key ..."; files are public.</summary>
public static class ApiKeyCheck
{
    public static IApplicationBuilder UseFalApiKey(this IApplicationBuilder app, EngineOptions options)
    {
        var lockedKeys = LockedAccount.ParseKeys(options.LockedKeys);
        return app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/files"))
            {
                await next(context);
                return;
            }
            string header = context.Request.Headers.Authorization.ToString();
            const string scheme = "Key ";
            bool hasKey = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length;
            string key = hasKey ? header[scheme.Length..].Trim() : "";
            bool locked = hasKey && lockedKeys.Any(k => FixedTimeEquals(key, k));
            bool accepted = hasKey && (string.IsNullOrEmpty(options.ApiKey) || FixedTimeEquals(key, options.ApiKey) || locked);
            if (!accepted)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new { detail = hasKey ? "Invalid API key." : "Missing Authorization header with 'Key <FAL_KEY>'." });
                return;
            }
            if (locked && context.GetEndpoint()?.Metadata.GetMetadata<FaultTarget>()?.Name == FaultNames.Submit)
            {
                await LockedAccount.Refusal().ExecuteAsync(context);
                return;
            }
            await next(context);
        });
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
