using System.Diagnostics;
using Inferd.Abstractions.Inference;

namespace Inferd.Core.Telemetry;

/// <summary>Fills the facade's <c>infer</c> span; a null span (nothing listening) costs a null check.</summary>
internal static class InferSpan
{
    /// <summary>Tags the span with the model, the version that answers and the client's request id.</summary>
    public static void Describe(Activity? span, InferenceRequest request, string version)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag(InferdTelemetry.ModelAttribute, request.ModelName);
        span.SetTag(InferdTelemetry.VersionAttribute, version);
        if (!string.IsNullOrEmpty(request.Id))
        {
            span.SetTag(InferdTelemetry.RequestIdAttribute, request.Id);
        }
    }

    /// <summary>
    /// Marks the span failed. Always false: used as an exception filter, so the exception passes on untouched and
    /// the stack is not unwound twice.
    /// </summary>
    public static bool Failed(Activity? span, Exception error)
    {
        if (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error.Message);
            span.SetTag("error.type", error is InferenceException inference ? inference.Kind.ToString() : error.GetType().Name);
        }

        return false;
    }
}
