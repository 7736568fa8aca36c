using System.Text;
using Inferd.Core.Telemetry;
using Inferd.Hosting.Rest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// Answers every request on the metrics port: <c>GET /metrics</c> collects each <see cref="IMetricsSource"/> in DI,
/// in registration order, into one Prometheus text page; any other path is 404 and any other verb 405, as
/// <c>{"error"}</c>. The REST and gRPC routes never run here.
/// </summary>
internal static class MetricsEndpoint
{
    /// <summary>Path of the page.</summary>
    public const string Path = "/metrics";

    /// <summary>The Prometheus text exposition format, version 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        if (!string.Equals(context.Request.Path.Value, Path, StringComparison.Ordinal))
        {
            await ErrorAsync(response, StatusCodes.Status404NotFound, "not found; metrics are at " + Path).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await ErrorAsync(response, StatusCodes.Status405MethodNotAllowed, "method not allowed").ConfigureAwait(false);
            return;
        }

        var page = Collect(context.RequestServices);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        var bytes = Encoding.UTF8.GetBytes(page);
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The whole page, each source in DI order; a source that throws is logged and skipped.</summary>
    public static string Collect(IServiceProvider services)
    {
        // About 40 KB for a dozen models: 11 histograms of 17 buckets per version dominate.
        var text = new StringBuilder(16 * 1024);
        var writer = new PrometheusWriter(text);
        foreach (var source in services.GetServices<IMetricsSource>())
        {
            try
            {
                source.Collect(writer);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MetricsEndpoint).FullName!);
                MetricsLog.SourceFailed(logger, source.GetType().Name, ex);
            }
        }

        return text.ToString();
    }

    private static async Task ErrorAsync(HttpResponse response, int status, string message)
    {
        var body = RestJson.Error(message);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
