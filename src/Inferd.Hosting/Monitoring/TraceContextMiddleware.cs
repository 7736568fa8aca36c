using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// Returns the request's W3C trace context: ASP.NET Core's hosting already took <c>traceparent</c> and
/// <c>tracestate</c> from the request headers (gRPC metadata are HTTP/2 headers) into the request's activity; this
/// writes that activity's <c>traceparent</c> into the response headers, which gRPC sends as its initial metadata.
/// </summary>
internal static class TraceContextMiddleware
{
    /// <summary>The W3C Trace Context header.</summary>
    public const string Header = "traceparent";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // Set before the handler runs rather than in OnStarting: no callback to register per request, and no
        // handler here clears response headers.
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity ?? Activity.Current;
        if (activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            context.Response.Headers[Header] = id;
        }

        return next(context);
    }
}
