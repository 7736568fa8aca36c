using Inferd.Abstractions.Inference;
using Microsoft.AspNetCore.Http;

namespace Inferd.Hosting.Rest;

/// <summary>The model and version of a route, with cheap sanity checks; the facade owns name validation (bad-inputs.md row 19).</summary>
internal static class RestRoute
{
    private const int MaxVersionLength = 20;

    /// <summary>Reads <c>{model}</c> and the optional <c>{version}</c>.</summary>
    public static (string Model, string? Version) Read(HttpContext context, RequestLimits limits)
    {
        var model = context.Request.RouteValues["model"] as string ?? "";
        if (model.Length == 0 || model.Length > limits.MaxNameLength || model.Any(char.IsControl))
        {
            throw InferenceException.Invalid("the model name is empty, too long or contains control characters");
        }

        var version = context.Request.RouteValues["version"] as string;
        if (version is not null && (version.Length == 0 || version.Length > MaxVersionLength || version.Any(char.IsControl)))
        {
            throw InferenceException.Invalid("the model version is empty, too long or contains control characters");
        }

        return (model, version);
    }
}
